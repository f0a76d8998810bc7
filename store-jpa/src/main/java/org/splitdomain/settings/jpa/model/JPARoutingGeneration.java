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
package org.splitdomain.settings.jpa.model;

import javax.persistence.Column;
import javax.persistence.Entity;
import javax.persistence.Id;
import javax.persistence.Table;

/**
 * The one-row counter that every write transaction increments. Nodes poll it to learn that their
 * copy of the settings is stale: one primary-key read instead of reading every setting.
 *
 * <p>Writers lock the row ({@code PESSIMISTIC_WRITE}) before anything else and keep the lock until
 * they commit, so writes of every node run one after the other: no increment is lost, and two
 * nodes storing the same new key never both insert it. A JPQL bulk {@code UPDATE ... + 1} would not
 * do: OpenJPA turns it into {@code ... WHERE ID IN (SELECT ...)}, which loses increments on Derby.</p>
 */
@Entity(name = "SplitDomainRoutingGeneration")
@Table(name = "SPLIT_DOMAIN_GENERATION")
public class JPARoutingGeneration {
    public static final int ROW_ID = 1;

    /**
     * Starts from the clock rather than 0, so that a row created again (someone emptied the table)
     * does not come back to a value that a node still holds as its last seen generation.
     */
    public static JPARoutingGeneration startingNow() {
        return new JPARoutingGeneration(ROW_ID, System.currentTimeMillis());
    }

    @Id
    @Column(name = "ID", nullable = false)
    private int id;

    @Column(name = "COUNTER", nullable = false)
    private long counter;

    /** For JPA only. */
    protected JPARoutingGeneration() {
    }

    private JPARoutingGeneration(int id, long counter) {
        this.id = id;
        this.counter = counter;
    }

    public long getCounter() {
        return counter;
    }

    public void increment() {
        counter++;
    }
}
