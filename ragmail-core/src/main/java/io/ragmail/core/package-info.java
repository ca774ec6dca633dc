/** The five pipeline interfaces (MailSource, KnowledgeStore, ErpClient, Drafter, MailSink), their value types, and the Pipeline that runs them. */
package io.ragmail.core;
