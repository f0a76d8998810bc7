package org.splitdomain.settings.service;

/**
 * Why the {@link SettingsService} did not do what it was asked: its message is said to the operator as it is. Nothing
 * of the request was written.
 */
public abstract class SettingsException extends RuntimeException {
    SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
