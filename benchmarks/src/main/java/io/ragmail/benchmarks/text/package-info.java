/** Text-step scaling benchmark (issue 8): parse, triage and grounding check time and allocation against input size. */
package io.ragmail.benchmarks.text;
