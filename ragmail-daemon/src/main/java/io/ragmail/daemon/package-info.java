/** The ragmail daemon: command line, configuration, supervision and the runnable jar. */
package io.ragmail.daemon;
