/**
 * The daemon's configuration: {@link io.ragmail.config.RagmailConfig}, an interface over
 * {@code get(key)}, the registry of every key ({@link io.ragmail.config.ConfigKeys}) and the
 * layered loader (defaults &lt; {@code ragmail.properties} &lt; {@code .env} &lt; environment &lt; flags).
 * No command-line dependency, so an application embedding ragmail can reuse it.
 */
package io.ragmail.config;
