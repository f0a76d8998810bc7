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

/**
 * Where the split-routing routes hang: each route class adds its own paths under these, so that none borrows
 * another's. {@code /domains} and {@code /users} are James's own.
 */
public final class SplitRoutingPaths {
    public static final String SPLIT_ROUTING = "/split-routing";
    public static final String DOMAINS = "/domains";
    public static final String USERS = "/users";

    private SplitRoutingPaths() {
    }
}
