/** A drafter on an OpenAI-compatible chat model (OpenAI, Ollama, vLLM), keeping ragmail's drafter contract. */
package io.ragmail.examples.drafter;
