/*
 * Copyright 2026 the james-split-domain authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package org.splitdomain.webadmin.consistency;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.splitdomain.webadmin.consistency.ConsistencyReport.Refusal;
import org.splitdomain.webadmin.consistency.ConsistencyReport.Unverified;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.google.common.collect.ImmutableList;

/**
 * The consistency report under {@code additionalInformation} of {@code GET /tasks/{id}}:
 * {@code {"type","timestamp","usersChecked","addressesChecked","refused":[{"address","user","kind","relay","reply","fix",
 * "forwardedAddresses"?}],"unverified":[{"address","user","reason"}]}}.
 */
@JsonPropertyOrder({"type", "timestamp", "usersChecked", "addressesChecked", "refused", "unverified"})
public class ConsistencyReportDTO implements AdditionalInformationDTO {
    public static final AdditionalInformationDTOModule<ConsistencyReport.Details, ConsistencyReportDTO> MODULE =
        DTOModule.forDomainObject(ConsistencyReport.Details.class)
            .convertToDTO(ConsistencyReportDTO.class)
            .toDomainObjectConverter(ConsistencyReportDTO::toDetails)
            .toDTOConverter(ConsistencyReportDTO::from)
            .typeName(PartnerConsistencyTask.TYPE.asString())
            .withFactory(AdditionalInformationDTOModule::new);

    @JsonPropertyOrder({"address", "user", "kind", "relay", "reply", "fix", "forwardedAddresses"})
    @JsonInclude(JsonInclude.Include.NON_ABSENT)
    public static class RefusalDTO {
        @JsonProperty("address") public final String address;
        @JsonProperty("user") public final String user;
        @JsonProperty("kind") public final String kind;
        @JsonProperty("relay") public final String relay;
        @JsonProperty("reply") public final String reply;
        @JsonProperty("fix") public final String fix;
        @JsonProperty("forwardedAddresses") public final Optional<List<String>> forwardedAddresses;

        public RefusalDTO(@JsonProperty("address") String address, @JsonProperty("user") String user, @JsonProperty("kind") String kind,
                          @JsonProperty("relay") String relay, @JsonProperty("reply") String reply, @JsonProperty("fix") String fix,
                          @JsonProperty("forwardedAddresses") Optional<List<String>> forwardedAddresses) {
            this.address = address;
            this.user = user;
            this.kind = kind;
            this.relay = relay;
            this.reply = reply;
            this.fix = fix;
            this.forwardedAddresses = forwardedAddresses;
        }
    }

    @JsonPropertyOrder({"address", "user", "reason"})
    public static class UnverifiedDTO {
        @JsonProperty("address") public final String address;
        @JsonProperty("user") public final String user;
        @JsonProperty("reason") public final String reason;

        public UnverifiedDTO(@JsonProperty("address") String address, @JsonProperty("user") String user,
                             @JsonProperty("reason") String reason) {
            this.address = address;
            this.user = user;
            this.reason = reason;
        }
    }

    private static ConsistencyReportDTO from(ConsistencyReport.Details details, String type) {
        return new ConsistencyReportDTO(type, details.timestamp(), details.getUsersChecked(), details.getAddressesChecked(),
            details.getRefused().stream()
                .map(refusal -> new RefusalDTO(refusal.getAddress(), refusal.getUser(), refusal.getKind(), refusal.getRelay(),
                    refusal.getReply(), refusal.getFix(), refusal.getForwardedAddresses()))
                .collect(ImmutableList.toImmutableList()),
            details.getUnverified().stream()
                .map(unverified -> new UnverifiedDTO(unverified.getAddress(), unverified.getUser(), unverified.getReason()))
                .collect(ImmutableList.toImmutableList()));
    }

    private static ConsistencyReport.Details toDetails(ConsistencyReportDTO dto) {
        return new ConsistencyReport.Details(dto.timestamp, dto.usersChecked, dto.addressesChecked,
            dto.refused.stream()
                .map(refusal -> new Refusal(refusal.address, refusal.user, refusal.kind, refusal.relay, refusal.reply, refusal.fix,
                    refusal.forwardedAddresses))
                .collect(ImmutableList.toImmutableList()),
            dto.unverified.stream()
                .map(unverified -> new Unverified(unverified.address, unverified.user, unverified.reason))
                .collect(ImmutableList.toImmutableList()));
    }

    private final String type;
    private final Instant timestamp;
    private final long usersChecked;
    private final long addressesChecked;
    private final List<RefusalDTO> refused;
    private final List<UnverifiedDTO> unverified;

    public ConsistencyReportDTO(@JsonProperty("type") String type, @JsonProperty("timestamp") Instant timestamp,
                                @JsonProperty("usersChecked") long usersChecked, @JsonProperty("addressesChecked") long addressesChecked,
                                @JsonProperty("refused") List<RefusalDTO> refused, @JsonProperty("unverified") List<UnverifiedDTO> unverified) {
        this.type = type;
        this.timestamp = timestamp;
        this.usersChecked = usersChecked;
        this.addressesChecked = addressesChecked;
        this.refused = refused;
        this.unverified = unverified;
    }

    @Override
    public String getType() {
        return type;
    }

    @Override
    public Instant getTimestamp() {
        return timestamp;
    }

    public long getUsersChecked() {
        return usersChecked;
    }

    public long getAddressesChecked() {
        return addressesChecked;
    }

    public List<RefusalDTO> getRefused() {
        return refused;
    }

    public List<UnverifiedDTO> getUnverified() {
        return unverified;
    }
}
