package org.splitdomain.settings.service;

/** James could not answer what the settings are checked against (its DomainList, UsersRepository or mappings). */
public class SettingsBackendException extends SettingsException {
    SettingsBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
