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
package org.splitdomain.webadmin.consistency;

import java.util.Set;

import javax.inject.Inject;

import org.apache.james.server.task.json.TaskExtensionModule;
import org.apache.james.server.task.json.dto.AdditionalInformationDTO;
import org.apache.james.server.task.json.dto.AdditionalInformationDTOModule;
import org.apache.james.server.task.json.dto.TaskDTO;
import org.apache.james.server.task.json.dto.TaskDTOModule;
import org.apache.james.task.Task;
import org.apache.james.task.TaskExecutionDetails;

/**
 * Makes James's task API know the split-routing tasks: {@code GET /tasks/{id}} shows their report, and the
 * distributed task manager can store them. Named by {@code guice.extension.task} in {@code extensions.properties}.
 */
public class SplitRoutingTaskExtensionModule implements TaskExtensionModule {
    private final PartnerConsistencyTask.Dependencies dependencies;

    @Inject
    public SplitRoutingTaskExtensionModule(PartnerConsistencyTask.Dependencies dependencies) {
        this.dependencies = dependencies;
    }

    @Override
    public Set<TaskDTOModule<? extends Task, ? extends TaskDTO>> taskDTOModules() {
        return Set.of(PartnerConsistencyTaskDTO.module(dependencies));
    }

    @Override
    public Set<AdditionalInformationDTOModule<? extends TaskExecutionDetails.AdditionalInformation, ? extends AdditionalInformationDTO>>
            taskAdditionalInformationDTOModules() {
        return Set.of(ConsistencyReportDTO.MODULE);
    }
}
