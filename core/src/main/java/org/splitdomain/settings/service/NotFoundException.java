package org.splitdomain.settings.service;

/** A domain James does not manage, or a user James does not have. */
public class NotFoundException extends SettingsException {
    NotFoundException(String message) {
        super(message, null);
    }
}
