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

import org.apache.james.json.DTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The consistency check as James's distributed task manager stores it: {@code {"type","probesPerSecond"}}. */
public class PartnerConsistencyTaskDTO implements TaskDTO {
    public static TaskDTOModule<PartnerConsistencyTask, PartnerConsistencyTaskDTO> module(PartnerConsistencyTask.Dependencies dependencies) {
        return DTOModule.forDomainObject(PartnerConsistencyTask.class)
            .convertToDTO(PartnerConsistencyTaskDTO.class)
            .toDomainObjectConverter(dto -> new PartnerConsistencyTask(dependencies, dto.probesPerSecond))
            .toDTOConverter((task, type) -> new PartnerConsistencyTaskDTO(type, task.getProbesPerSecond()))
            .typeName(PartnerConsistencyTask.TYPE.asString())
            .withFactory(TaskDTOModule::new);
    }

    private final String type;
    private final double probesPerSecond;

    public PartnerConsistencyTaskDTO(@JsonProperty("type") String type, @JsonProperty("probesPerSecond") double probesPerSecond) {
        this.type = type;
        this.probesPerSecond = probesPerSecond;
    }

    @Override
    public String getType() {
        return type;
    }

    public double getProbesPerSecond() {
        return probesPerSecond;
    }
}
