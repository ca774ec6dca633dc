/** Implementation details of the pipeline; not part of the public API. */
package io.ragmail.core.internal;
