package io.mister.encoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.events.EncoderInfo;
import org.junit.jupiter.api.Test;

class EncoderIdTest {

  @Test
  void theTagIsIdAtVersion() {
    assertThat(new EncoderId("all-minilm-l6-v2-q", "1", 384).tag()).isEqualTo("all-minilm-l6-v2-q@1");
  }

  @Test
  void convertsToAndFromTheAvroEncoderInfo() {
    EncoderId id = new EncoderId("mister-prosody", "1", 88);
    EncoderInfo info = id.toEncoderInfo();

    assertThat(info.getId()).isEqualTo("mister-prosody");
    assertThat(info.getVersion()).isEqualTo("1");
    assertThat(info.getDim()).isEqualTo(88);
    assertThat(EncoderId.fromEncoderInfo(info)).isEqualTo(id);
  }

  @Test
  void refusesIdentitiesThatCouldNotBeMatchedLater() {
    assertThatThrownBy(() -> new EncoderId(" ", "1", 3)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EncoderId("a@b", "1", 3)).hasMessageContaining("@");
    assertThatThrownBy(() -> new EncoderId("a", "", 3)).hasMessageContaining("version");
    assertThatThrownBy(() -> new EncoderId("a", "1", 0)).hasMessageContaining("dim");
  }
}
