package io.feathergate.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelModesTest {

  @Test
  void eachModeServesItsEndpointsOnly() {
    assertThat(ModelModes.serves(null, NativeApi.RERANK)).isTrue();
    for (String chat : new String[] {"chat", "completion", "responses"}) {
      assertThat(ModelModes.serves(chat, null)).isTrue();
      assertThat(ModelModes.serves(chat, NativeApi.ANTHROPIC_MESSAGES)).isTrue();
      assertThat(ModelModes.serves(chat, NativeApi.OPENAI_RESPONSES)).isTrue();
      assertThat(ModelModes.serves(chat, NativeApi.OPENAI_COMPLETIONS)).isTrue();
      assertThat(ModelModes.serves(chat, NativeApi.OPENAI_EMBEDDINGS)).isFalse();
    }
    assertThat(ModelModes.serves("embedding", NativeApi.OPENAI_EMBEDDINGS)).isTrue();
    assertThat(ModelModes.serves("embedding", null)).isFalse();
    assertThat(ModelModes.serves("image_generation", NativeApi.OPENAI_IMAGES)).isTrue();
    assertThat(ModelModes.serves("moderation", NativeApi.OPENAI_MODERATIONS)).isTrue();
    assertThat(ModelModes.serves("rerank", NativeApi.RERANK)).isTrue();
    assertThat(ModelModes.serves("rerank", null)).isFalse();
    assertThat(ModelModes.serves("audio_speech", NativeApi.OPENAI_SPEECH)).isTrue();
    assertThat(ModelModes.serves("audio_transcription", NativeApi.OPENAI_TRANSCRIPTIONS)).isTrue();
    assertThat(ModelModes.serves("audio_transcription", NativeApi.OPENAI_TRANSLATIONS)).isTrue();
    assertThat(ModelModes.serves("audio_transcription", NativeApi.OPENAI_SPEECH)).isFalse();
    // a mode the gateway does not know takes whatever its provider takes
    assertThat(ModelModes.serves("video_generation", null)).isTrue();
  }

  @Test
  void anErrorPointsToTheRouteOfTheMode() {
    assertThat(ModelModes.routeFor("chat")).isEqualTo("/v1/chat/completions");
    assertThat(ModelModes.routeFor("embedding")).isEqualTo("/v1/embeddings");
    assertThat(ModelModes.routeFor("image_generation")).isEqualTo("/v1/images/generations");
    assertThat(ModelModes.routeFor("moderation")).isEqualTo("/v1/moderations");
    assertThat(ModelModes.routeFor("rerank")).isEqualTo("/v1/rerank");
    assertThat(ModelModes.routeFor("audio_speech")).isEqualTo("/v1/audio/speech");
    assertThat(ModelModes.routeFor("audio_transcription")).isEqualTo("/v1/audio/transcriptions");
    assertThat(ModelModes.routeFor("batch")).isNull();
  }
}
