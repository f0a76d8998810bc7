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
package org.splitdomain.imap;

import java.util.Collection;

import org.apache.james.imap.decode.parser.AuthenticateCommandParser;
import org.apache.james.imap.decode.parser.LoginCommandParser;
import org.apache.james.modules.protocols.ImapPackage;
import org.apache.james.utils.ClassName;

import com.google.common.collect.ImmutableList;

/**
 * James's IMAP commands, with LOGIN and AUTHENTICATE refusing third-party users. Name it in every
 * {@code <imapserver>} of {@code imapserver.xml}:
 *
 * <pre>{@code
 * <imapPackages>org.splitdomain.imap.SplitRoutingImapPackage</imapPackages>
 * }</pre>
 */
public class SplitRoutingImapPackage implements ImapPackage {
    private static final ImapPackage GUARDED_AUTH = new ImapPackage.Impl(
        classNames(ThirdPartyRefusingAuthenticateProcessor.class, ThirdPartyRefusingLoginProcessor.class),
        classNames(AuthenticateCommandParser.class, LoginCommandParser.class),
        ImmutableList.of());

    private final ImapPackage delegate = ImapPackage.and(ImmutableList.of(new ImapPackage.DefaultNoAuth(), GUARDED_AUTH));

    private static ImmutableList<ClassName> classNames(Class<?>... classes) {
        return ImmutableList.copyOf(classes).stream()
            .map(clazz -> new ClassName(clazz.getCanonicalName()))
            .collect(ImmutableList.toImmutableList());
    }

    @Override
    public Collection<ClassName> processors() {
        return delegate.processors();
    }

    @Override
    public Collection<ClassName> decoders() {
        return delegate.decoders();
    }

    @Override
    public Collection<ClassName> encoders() {
        return delegate.encoders();
    }
}
