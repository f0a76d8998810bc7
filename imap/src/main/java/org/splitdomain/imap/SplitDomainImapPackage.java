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
 * <imapPackages>org.splitdomain.imap.SplitDomainImapPackage</imapPackages>
 * }</pre>
 */
public class SplitDomainImapPackage implements ImapPackage {
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
