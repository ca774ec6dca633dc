/**
 * The running daemon: {@link io.ragmail.daemon.runtime.Daemon} builds the pipeline from a
 * {@link io.ragmail.config.RagmailConfig} with {@link io.ragmail.config.RagmailComponents} and keeps it
 * going (single-instance lock, unclean-stop detection, backlog gate, budget, supervision, watchdog,
 * schedules, alerts, backups). No CLI dependency, so an application can embed it.
 */
package io.ragmail.daemon.runtime;
