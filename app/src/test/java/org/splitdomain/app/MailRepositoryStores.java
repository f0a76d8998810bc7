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
package org.splitdomain.app;

/** {@code mailrepositorystore.xml} of a flavour: its durable mail repositories by default, and memory ones for the rest of james-conf. */
public final class MailRepositoryStores {
    /** James's JPA flavour (its sample mailrepositorystore.xml): files. */
    public static final String FILE = defaultingTo("file", "org.apache.james.mailrepository.file.FileMailRepository",
        "<config FIFO=\"false\" CACHEKEYS=\"true\"/>");
    /** James's distributed flavour: Cassandra, shared by the nodes. */
    public static final String CASSANDRA = defaultingTo("cassandra", "org.apache.james.mailrepository.cassandra.CassandraMailRepository", "");

    private MailRepositoryStores() {
    }

    private static String defaultingTo(String protocol, String repositoryClass, String config) {
        return "<?xml version=\"1.0\"?>\n<mailrepositorystore>\n"
            + "    <defaultProtocol>" + protocol + "</defaultProtocol>\n"
            + "    <mailrepositories>\n"
            + "        <mailrepository class=\"" + repositoryClass + "\">\n"
            + "            <protocols><protocol>" + protocol + "</protocol></protocols>\n"
            + (config.isEmpty() ? "" : "            " + config + "\n")
            + "        </mailrepository>\n"
            + "        <mailrepository class=\"org.apache.james.mailrepository.memory.MemoryMailRepository\">\n"
            + "            <protocols><protocol>memory</protocol></protocols>\n"
            + "        </mailrepository>\n"
            + "    </mailrepositories>\n"
            + "</mailrepositorystore>\n";
    }
}
