package org.splitdomain.route;

/** A James backend (users, domains, mappings) failed while a route was being decided or settings checked. */
public class RouteResolutionException extends RuntimeException {
    public RouteResolutionException(String message, Throwable cause) {
        super(message, cause);
    }
}
