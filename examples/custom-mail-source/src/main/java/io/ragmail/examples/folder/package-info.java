/** A mail source and sink over folders of {@code .eml} files, built on ragmail-core alone. */
package io.ragmail.examples.folder;
