package org.splitdomain.settings.service;

import org.apache.james.core.Domain;

/** Settings that cannot be written: the message names the field and what is wrong with it (every entry, for an import). */
public class InvalidSettingsException extends SettingsException {
    /** Settings of {@code domain} that do not read as settings, for the one message an operator gets about them. */
    static InvalidSettingsException ofDomain(Domain domain, IllegalArgumentException problem) {
        return new InvalidSettingsException("Invalid split-routing settings for " + domain.asString() + ": " + problem.getMessage(), problem);
    }

    InvalidSettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
