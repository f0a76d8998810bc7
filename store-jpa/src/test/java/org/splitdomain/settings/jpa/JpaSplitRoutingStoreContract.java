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
package org.splitdomain.settings.jpa;

import org.splitdomain.settings.history.SettingsHistory;
import org.splitdomain.settings.history.SettingsHistoryContract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;

import javax.persistence.PersistenceException;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.splitdomain.settings.DomainRouting;
import org.splitdomain.settings.RelayHost;
import org.splitdomain.settings.RelayTls;
import org.splitdomain.settings.SharedSplitRoutingStoreContract;
import org.splitdomain.settings.UserRouting;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * What the JPA store adds to the contract, on each database it runs on: an import is one transaction, which a row the
 * database refuses part-way rolls back whole (the rules it shares with other nodes: {@link SharedDatabaseContract}). The
 * history lives in the same database, and passes its own contract there.
 */
interface JpaSplitRoutingStoreContract extends SharedSplitRoutingStoreContract, SettingsHistoryContract {
    @Override
    default SettingsHistory history() {
        return new JpaSettingsHistory((JpaSplitRoutingStore) store());
    }

    @Test
    default void storeAllThatTheDatabaseRefusesPartWayShouldWriteNothing() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        long before = store().generation();
        // Longer than the relay column: the database refuses the row, after the others were sent.
        RelayHost tooLong = RelayHost.parse("a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61) + ":25")
            .withPolicy(RelayTls.VERIFY, Optional.of("e".repeat(64)));
        DomainRouting refused = DomainRouting.of(ImmutableList.of(tooLong, RelayHost.parse("10.0.0.9")), false);

        assertThatThrownBy(() -> store().storeAll(
                ImmutableMap.of(EXAMPLE_ORG, TO_PARTNER, Domain.of("example.net"), refused),
                ImmutableMap.of(BOB, UserRouting.thirdPartyForAllAddresses())))
            .isInstanceOf(PersistenceException.class);

        assertThat(store().listDomainRoutings()).containsOnlyKeys(EXAMPLE_COM);
        assertThat(store().listUserRoutings()).isEmpty();
        assertThat(store().generation()).isEqualTo(before);
    }
}
