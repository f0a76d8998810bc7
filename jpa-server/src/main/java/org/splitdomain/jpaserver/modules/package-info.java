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
/**
 * The Guice modules of James 3.8.1's JPA server that Maven Central does not serve, one class for each, under the
 * name James gives it and with the bindings it makes: read side by side with James's source (tag
 * {@code james-project-3.8.1}, the folder named in each class), they say the same. Each class names the James module
 * it stands for; where James's module is published (the protocols, WebAdmin, the mailbox and event modules), James's
 * own is used instead.
 */
package org.splitdomain.jpaserver.modules;
