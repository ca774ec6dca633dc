/** Jakarta Mail plumbing shared by the IMAP and SMTP adapters. */
package io.ragmail.core.mail;
