package org.splitdomain.mailets.relay;

import java.util.Iterator;
import java.util.Map;

import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;

import com.google.common.collect.ImmutableMap;

/** The configuration handed to the James RemoteDelivery that serves one relay list. */
class RelayMailetConfig implements MailetConfig {
    private final String mailetName;
    private final MailetContext mailetContext;
    private final ImmutableMap<String, String> parameters;

    RelayMailetConfig(String mailetName, MailetContext mailetContext, Map<String, String> parameters) {
        this.mailetName = mailetName;
        this.mailetContext = mailetContext;
        this.parameters = ImmutableMap.copyOf(parameters);
    }

    @Override
    public String getInitParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public Iterator<String> getInitParameterNames() {
        return parameters.keySet().iterator();
    }

    @Override
    public MailetContext getMailetContext() {
        return mailetContext;
    }

    @Override
    public String getMailetName() {
        return mailetName;
    }
}
