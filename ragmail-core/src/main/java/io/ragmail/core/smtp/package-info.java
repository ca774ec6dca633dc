/** The SMTP mail sink that sends replies. */
package io.ragmail.core.smtp;
