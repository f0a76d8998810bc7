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
package org.splitdomain.settings;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a database-backed store must do on top of {@link SplitRoutingStoreContract}: tell other nodes that something changed. */
public interface SharedSplitRoutingStoreContract extends SplitRoutingStoreContract {
    @Override
    SharedSplitRoutingStore store();

    @Test
    default void generationShouldNotMoveWithoutWrites() {
        long before = store().generation();

        store().listUserRoutings();
        store().domainRouting(EXAMPLE_COM);

        assertThat(store().generation()).isEqualTo(before);
    }

    @Test
    default void generationShouldMoveWhenADomainRoutingIsStored() {
        long before = store().generation();

        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);

        assertThat(store().generation()).isNotEqualTo(before);
    }

    @Test
    default void generationShouldMoveWhenADomainRoutingIsDeleted() {
        store().storeDomainRouting(EXAMPLE_COM, TO_PARTNER);
        long before = store().generation();

        store().deleteDomainRouting(EXAMPLE_COM);

        assertThat(store().generation()).isNotEqualTo(before);
    }

    @Test
    default void generationShouldMoveWhenAUserRoutingIsStored() {
        long before = store().generation();

        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());

        assertThat(store().generation()).isNotEqualTo(before);
    }

    @Test
    default void generationShouldMoveWhenAUserRoutingIsDeleted() {
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        long before = store().generation();

        store().deleteUserRouting(BOB);

        assertThat(store().generation()).isNotEqualTo(before);
    }

    @Test
    default void generationShouldMoveAtEveryWrite() {
        long first = store().generation();
        store().storeUserRouting(BOB, UserRouting.thirdPartyForAllAddresses());
        long second = store().generation();
        store().storeUserRouting(BOB, UserRouting.internal());
        long third = store().generation();

        assertThat(first).isNotEqualTo(second);
        assertThat(second).isNotEqualTo(third);
    }
}
