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
