package org.splitdomain.webadmin;

import java.time.Duration;
import java.util.List;
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
import org.splitdomain.settings.SplitRoutingStore;
import org.splitdomain.settings.UserRoutingRenamer;

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

    private static final String USER_PATH = "/users/:username";
    private static final String DOMAIN_PATH = "/domains/:domain";
    private static final String RENAME_PATH = "/users/:oldUser/rename/:newUser";

    private final SplitRoutingStore store;
    private final UserRoutingRenamer renamer;
    private final TaskManager taskManager;
    private final ExecutorService renames = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "split-routing-rename");
        thread.setDaemon(true);
        return thread;
    });

    private final SettingsAudit audit;

    @Inject
    public SplitRoutingLifecycleRoutes(SplitRoutingStore store, UserRoutingRenamer renamer, TaskManager taskManager, SettingsAudit audit) {
        this.store = store;
        this.audit = audit;
        this.renamer = renamer;
        this.taskManager = taskManager;
    }

    @Override
    public String getBasePath() {
        return "/users";
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
            audit.users(SettingsAudit.actor(request), SettingsAudit.USER_RENAMED, List.of(newUsername), () -> {
                if (renamer.copyAhead(oldUsername, newUsername)) {
                    copiedAhead.add(renameKey(oldUsername, newUsername));
                }
            });
        } catch (Exception e) {
            LOGGER.error("Cannot give {} the split-routing settings of {} ahead of the rename", newUsername.asString(),
                oldUsername.asString(), e);
        }
    }

    private void afterUserRequest(Request request, Response response) throws Exception {
        if (isSuccessfulDelete(request, response)) {
            Username username = Username.of(request.params("username"));
            audit.users(SettingsAudit.actor(request), SettingsAudit.USER_DELETED, List.of(username), () -> store.deleteUserRouting(username));
            LOGGER.info("User {} deleted: its split-routing settings are removed", username.asString());
        }
    }

    private void afterDomainRequest(Request request, Response response) throws Exception {
        if (isSuccessfulDelete(request, response)) {
            Domain domain = Domain.of(request.params("domain"));
            audit.domain(SettingsAudit.actor(request), SettingsAudit.DOMAIN_DELETED, domain, () -> store.deleteDomainRouting(domain));
            LOGGER.info("Domain {} removed: its split-routing settings are removed", domain.asString());
        }
    }

    private static boolean isSuccessfulDelete(Request request, Response response) {
        return "DELETE".equals(request.requestMethod()) && response.status() == HttpStatus.NO_CONTENT_204;
    }

    private void afterRenameRequest(Request request, Response response) throws Exception {
        if (!"POST".equals(request.requestMethod())) {
            return;
        }
        Username oldUsername = Username.of(request.params("oldUser"));
        Username newUsername = Username.of(request.params("newUser"));
        Optional<String> actor = SettingsAudit.actor(request);
        if (response.status() != HttpStatus.CREATED_201) {
            if (copiedAhead.remove(renameKey(oldUsername, newUsername))) {
                audit.users(actor, SettingsAudit.USER_RENAMED, List.of(newUsername), () -> renamer.dropCopy(oldUsername, newUsername));
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
                audit.users(actor, SettingsAudit.USER_RENAMED, List.of(oldUsername, newUsername), () -> {
                    if (copied) {
                        renamer.completeCopy(oldUsername, newUsername);
                    } else {
                        renamer.rename(oldUsername, newUsername);
                    }
                });
            } else {
                LOGGER.warn("Rename task {} of {} to {} ended {}: split-routing settings stay with {}",
                    taskId.asString(), oldUsername.asString(), newUsername.asString(), details.getStatus(), oldUsername.asString());
                if (copied) {
                    audit.users(actor, SettingsAudit.USER_RENAMED, List.of(newUsername), () -> renamer.dropCopy(oldUsername, newUsername));
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
