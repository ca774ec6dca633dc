/** Logging of the running daemon: logback appenders built from the configuration, with secrets masked. */
package io.ragmail.daemon.logging;
