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
package org.splitdomain.app.distributed;

import java.util.Map;
import java.util.function.UnaryOperator;

import org.splitdomain.app.JamesNode;
import org.splitdomain.app.MailRepositoryStores;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.inject.Module;

/**
 * James's distributed flavour as the tests compose it from James's implementation jars on Maven Central: every mail
 * queue on RabbitMQ with its Cassandra view, blobs and mail repositories in Cassandra, the split-routing settings in
 * Cassandra. Users, domains and mailboxes stay the memory flavour's (each node is given the same).
 */
public final class DistributedFlavour {
    private DistributedFlavour() {
    }

    /** The Guice modules of the flavour, in James's injector (override the memory flavour's). */
    public static Module[] modules() {
        return new Module[] {new CassandraSessionModule(), new CassandraBlobStoreDAODeclarationModule(), new CassandraMailRepositoryModule(),
            new RabbitMQModule(), new CassandraMailQueueViewModule()};
    }

    /**
     * {@link #modules()} with James's users, domains and mappings in Cassandra too, as the distributed image keeps them, so
     * that they survive a restart and every node shares them (mailboxes stay in memory: James's Cassandra mailbox is not
     * composed here).
     */
    public static Module[] modulesWithJamesDataOnCassandra() {
        return ImmutableList.<Module>builder()
            .add(modules())
            .add(new CassandraUsersRepositoryModule(), new CassandraDomainListModule(), new CassandraRecipientRewriteTableModule())
            .build()
            .toArray(Module[]::new);
    }

    /** The configuration files of a node on that broker virtual host and that keyspace, beside james-conf's. */
    public static Map<String, UnaryOperator<String>> configuration(RabbitMQServer rabbitMQ, String vhost, String cassandraNodes, String keyspace,
                                                                   UnaryOperator<String> mailetContainer) {
        return ImmutableMap.of(
            "rabbitmq.properties", conf -> rabbitMQ.jamesProperties(vhost),
            "cassandra.properties", conf -> "cassandra.nodes=" + cassandraNodes + "\ncassandra.keyspace=" + keyspace + "\n",
            "mailrepositorystore.xml", conf -> MailRepositoryStores.CASSANDRA,
            "extensions.properties", conf -> JamesNode.edit(conf,
                "org.splitdomain.guice.MemorySplitRoutingModule", "org.splitdomain.guice.CassandraSplitRoutingModule"),
            "mailetcontainer.xml", mailetContainer);
    }
}
