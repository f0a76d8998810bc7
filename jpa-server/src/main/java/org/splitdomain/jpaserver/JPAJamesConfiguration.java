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
package org.splitdomain.jpaserver;

import java.io.File;

import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.filesystem.api.JamesDirectoriesProvider;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.server.core.configuration.FileConfigurationProvider;
import org.apache.james.server.core.filesystem.FileSystemImpl;

/**
 * Stands for James's {@code org.apache.james.JPAJamesConfiguration} ({@code server/apps/jpa-app}): a working
 * directory with its {@code conf/}, and the users repository {@code usersrepository.xml} chooses (JPA, or LDAP).
 */
public final class JPAJamesConfiguration implements Configuration {
    /** James's own start-up: the working directory comes from the {@code working.directory} system property. */
    public static JPAJamesConfiguration fromWorkingDirectoryProperty() {
        return of(Configuration.builder().useWorkingDirectoryEnvProperty().build());
    }

    public static JPAJamesConfiguration forWorkingDirectory(File workingDirectory) {
        return of(Configuration.builder().workingDirectory(workingDirectory).build());
    }

    private static JPAJamesConfiguration of(Configuration.Basic basic) {
        FileConfigurationProvider configurationProvider = new FileConfigurationProvider(new FileSystemImpl(basic.directories()), basic);
        return new JPAJamesConfiguration(basic, UsersRepositoryModuleChooser.Implementation.parse(configurationProvider));
    }

    private final Configuration.Basic basic;
    private final UsersRepositoryModuleChooser.Implementation usersRepositoryImplementation;

    private JPAJamesConfiguration(Configuration.Basic basic, UsersRepositoryModuleChooser.Implementation usersRepositoryImplementation) {
        this.basic = basic;
        this.usersRepositoryImplementation = usersRepositoryImplementation;
    }

    @Override
    public ConfigurationPath configurationPath() {
        return basic.configurationPath();
    }

    @Override
    public JamesDirectoriesProvider directories() {
        return basic.directories();
    }

    public UsersRepositoryModuleChooser.Implementation getUsersRepositoryImplementation() {
        return usersRepositoryImplementation;
    }
}
