package io.sluice.protocol.kafka.session;

import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error code the broker sends has the number kafka-clients gives the error of the same name. */
class KafkaErrorsTest {

    @Test
    void codesMatchKafkaClients() throws Exception {
        int checked = 0;
        for (Field f : KafkaErrors.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == short.class) {
                short ours = f.getShort(null);
                assertThat(Errors.valueOf(f.getName()).code()).as(f.getName()).isEqualTo(ours);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(30);
    }
}
