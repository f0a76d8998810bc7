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

import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;

/**
 * The launcher logs as James's own start scripts make it log: with the configuration directory's
 * {@code logback.xml}, whatever else the class path holds (a {@code logback-test.xml} of James's testing jars
 * would otherwise win: DEBUG to {@code target/test-run.log}, nothing of ours on the console). An explicit
 * {@code -Dlogback.configurationFile} still wins, as it does for James.
 */
final class LauncherLogging {
    private LauncherLogging() {
    }

    static void configureFrom(Path workingDirectory) {
        Path logback = workingDirectory.resolve("conf").resolve("logback.xml");
        if (System.getProperty("logback.configurationFile") != null || !Files.isRegularFile(logback)) {
            return;
        }
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext)) {
            return;
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(logback.toFile());
        } catch (JoranException e) {
            throw new IllegalArgumentException("Cannot read " + logback + ": " + e.getMessage(), e);
        }
    }
}
