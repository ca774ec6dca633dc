package io.ragmail.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class EmbedInYourAppTest {

    @TempDir
    Path dir;

    @Test
    void the_embedded_pipeline_answers_from_its_knowledge_base_and_shuts_down_cleanly() throws Exception {
        String reply = EmbedInYourApp.answerOneMail(dir);

        assertThat(reply).contains("Saturdays from 10:00 to 14:00").contains("The Example Shop team");
    }
}
