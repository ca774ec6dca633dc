/** The offline default drafter: an honest reply without a language model. */
package io.ragmail.core.template;
