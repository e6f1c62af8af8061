package io.sluice.protocol.amqp.codec;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class AmqpProtocolExceptionTest {

    @Test
    void replyTextFitsAShortStringEvenWithMultiByteCharacters() {
        String name = "é".repeat(200);
        String text = new AmqpProtocolException(AmqpReplyCode.NOT_FOUND, "no queue '" + name + "'").replyText();
        assertThat(text).startsWith("NOT_FOUND - no queue 'é");
        assertThat(text.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
    }

    @Test
    void hardAndSoftCodesFollowTheSpecification() {
        assertThat(AmqpReplyCode.NOT_FOUND.isHard()).isFalse();
        assertThat(AmqpReplyCode.PRECONDITION_FAILED.isHard()).isFalse();
        assertThat(AmqpReplyCode.FRAME_ERROR.isHard()).isTrue();
        assertThat(AmqpReplyCode.CHANNEL_ERROR.isHard()).isTrue();
        assertThat(AmqpReplyCode.of(540)).isEqualTo(AmqpReplyCode.NOT_IMPLEMENTED);
        assertThat(AmqpReplyCode.of(999)).isNull();
    }
}
