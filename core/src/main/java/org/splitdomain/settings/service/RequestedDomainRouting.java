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
package org.splitdomain.settings.service;

import org.splitdomain.settings.DomainRouting;

/**
 * A domain's settings as an operator wrote them (WebAdmin's JSON body, a line of an import), read by the
 * {@link SettingsService} once it checked the domain: an operator reads the errors in the order the settings are
 * checked.
 */
public interface RequestedDomainRouting {
    /** @throws IllegalArgumentException naming what is wrong, such as {@code relay 'mx:99999': port must be 1-65535} */
    DomainRouting toDomainRouting();
}
