/**
 * The Guice modules of James 3.8.1's JPA server that Maven Central does not serve, one class for each, under the
 * name James gives it and with the bindings it makes: read side by side with James's source (tag
 * {@code james-project-3.8.1}, the folder named in each class), they say the same. Each class names the James module
 * it stands for; where James's module is published (the protocols, WebAdmin, the mailbox and event modules), James's
 * own is used instead.
 */
package org.splitdomain.jpaserver.modules;
