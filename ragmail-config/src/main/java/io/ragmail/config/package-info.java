/**
 * ragmail's configuration keys and the pipeline they build, shared by the daemon and host applications:
 * {@link io.ragmail.config.RagmailConfig} (an interface over {@code get(key)}), the registry of every key
 * ({@link io.ragmail.config.ConfigKeys}), the layered loader {@link io.ragmail.config.LayeredConfig}
 * (defaults &lt; {@code ragmail.properties} &lt; {@code .env} &lt; environment &lt; flags), validation that
 * names each bad key in one line ({@link io.ragmail.config.ConfigException}), and
 * {@link io.ragmail.config.RagmailComponents}, which turns a configuration into the components and the
 * pipeline. Nothing here reads the environment or a file unless the caller hands it over.
 */
package io.ragmail.config;
