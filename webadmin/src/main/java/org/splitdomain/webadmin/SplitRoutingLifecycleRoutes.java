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
package org.splitdomain.webadmin;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.task.TaskExecutionDetails;
import org.apache.james.task.TaskId;
import org.apache.james.task.TaskManager;
import org.apache.james.webadmin.Routes;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.splitdomain.settings.service.SettingsService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import spark.Request;
import spark.Response;
import spark.Service;

/**
 * Keeps settings in step with James's own WebAdmin user and domain management: a user or domain
 * deleted loses its settings (so that one created later under the same name does not inherit
 * them), and a user renamed by James's rename task gets its settings moved once the task completed.
 *
 * <p>Why filters: James 3.8.1 has no user-deletion hook, and an extension module cannot add a
 * {@code UsernameChangeTaskStep} to James's set of steps (extension modules live in a child
 * injector). Deletions made outside WebAdmin (JMX, CLI) are not seen: such settings are ignored by
 * routing and can be removed with {@code DELETE /users/{user}/split-routing}.</p>
 */
public class SplitRoutingLifecycleRoutes implements Routes {
    private static final Logger LOGGER = LoggerFactory.getLogger(SplitRoutingLifecycleRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Duration RENAME_TASK_WAIT = Duration.ofHours(1);

    private static final String USER_PATH = SplitRoutingPaths.USERS + "/:username";
    private static final String DOMAIN_PATH = SplitRoutingPaths.DOMAINS + "/:domain";
    private static final String RENAME_PATH = SplitRoutingPaths.USERS + "/:oldUser/rename/:newUser";

    private final SettingsService settings;
    private final TaskManager taskManager;
    private final ExecutorService renames = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "split-routing-rename");
        thread.setDaemon(true);
        return thread;
    });

    @Inject
    public SplitRoutingLifecycleRoutes(SettingsService settings, TaskManager taskManager) {
        this.settings = settings;
        this.taskManager = taskManager;
    }

    @Override
    public String getBasePath() {
        return SplitRoutingPaths.USERS;
    }

    @Override
    public void define(Service service) {
        service.after(USER_PATH, this::afterUserRequest);
        service.after(DOMAIN_PATH, this::afterDomainRequest);
        service.before(RENAME_PATH, this::beforeRenameRequest);
        // afterAfter: it also runs when James refused the rename (a halted request skips plain after-filters).
        service.afterAfter(RENAME_PATH, this::afterRenameRequest);
    }

    // Renames whose new name got a copy of the settings before James began: the copy must end moved or dropped.
    private final Set<String> copiedAhead = ConcurrentHashMap.newKeySet();

    private static String renameKey(Username oldUsername, Username newUsername) {
        return oldUsername.asString() + " -> " + newUsername.asString();
    }

    private void beforeRenameRequest(Request request, Response response) {
        if (!"POST".equals(request.requestMethod())) {
            return;
        }
        Username oldUsername = Username.of(request.params("oldUser"));
        Username newUsername = Username.of(request.params("newUser"));
        try {
            if (settings.renameStarting(RequestParsing.actor(request), oldUsername, newUsername)) {
                copiedAhead.add(renameKey(oldUsername, newUsername));
            }
        } catch (Exception e) {
            LOGGER.error("Cannot give {} the split-routing settings of {} ahead of the rename", newUsername.asString(),
                oldUsername.asString(), e);
        }
    }

    private void afterUserRequest(Request request, Response response) {
        if (isSuccessfulDelete(request, response)) {
            settings.userDeleted(RequestParsing.actor(request), Username.of(request.params("username")));
        }
    }

    private void afterDomainRequest(Request request, Response response) {
        if (isSuccessfulDelete(request, response)) {
            settings.domainDeleted(RequestParsing.actor(request), Domain.of(request.params("domain")));
        }
    }

    private static boolean isSuccessfulDelete(Request request, Response response) {
        return "DELETE".equals(request.requestMethod()) && response.status() == HttpStatus.NO_CONTENT_204;
    }

    private void afterRenameRequest(Request request, Response response) {
        if (!"POST".equals(request.requestMethod())) {
            return;
        }
        Username oldUsername = Username.of(request.params("oldUser"));
        Username newUsername = Username.of(request.params("newUser"));
        Optional<String> actor = RequestParsing.actor(request);
        if (response.status() != HttpStatus.CREATED_201) {
            if (copiedAhead.remove(renameKey(oldUsername, newUsername))) {
                settings.renameAbandoned(actor, oldUsername, newUsername);
            }
            return;
        }
        try {
            TaskId taskId = TaskId.fromString(JSON.readTree(response.body()).path("taskId").asText());
            renames.execute(() -> moveWhenCompleted(taskId, oldUsername, newUsername, actor));
        } catch (Exception e) {
            LOGGER.error("Cannot follow the rename of {} to {}: move its split-routing settings with DELETE and PUT /users/<user>/split-routing",
                oldUsername.asString(), newUsername.asString(), e);
        }
    }

    private void moveWhenCompleted(TaskId taskId, Username oldUsername, Username newUsername, Optional<String> actor) {
        try {
            TaskExecutionDetails details = taskManager.await(taskId, RENAME_TASK_WAIT);
            boolean copied = copiedAhead.remove(renameKey(oldUsername, newUsername));
            if (details.getStatus() == TaskManager.Status.COMPLETED) {
                settings.renameDone(actor, oldUsername, newUsername, copied);
            } else {
                LOGGER.warn("Rename task {} of {} to {} ended {}: split-routing settings stay with {}",
                    taskId.asString(), oldUsername.asString(), newUsername.asString(), details.getStatus(), oldUsername.asString());
                if (copied) {
                    settings.renameAbandoned(actor, oldUsername, newUsername);
                }
            }
        } catch (Exception e) {
            LOGGER.error("Could not move the split-routing settings of {} to {} after rename task {}",
                oldUsername.asString(), newUsername.asString(), taskId.asString(), e);
        }
    }

    @PreDestroy
    void stop() {
        renames.shutdownNow();
    }
}
