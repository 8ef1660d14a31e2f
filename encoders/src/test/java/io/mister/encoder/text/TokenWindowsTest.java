package io.mister.encoder.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenWindowsTest {

  private static final long CLS = 101;
  private static final long SEP = 102;

  @Test
  void aShortTextIsOneWindowWithItsSpecialTokens() {
    List<TokenWindows.Window> windows =
        TokenWindows.split(
            new long[] {CLS, 7, 8, SEP}, new String[] {"[CLS]", "hi", "there", "[SEP]"}, 512);

    assertThat(windows).hasSize(1);
    assertThat(windows.get(0).ids()).containsExactly(CLS, 7, 8, SEP);
    assertThat(windows.get(0).contentTokens()).isEqualTo(2);
  }

  @Test
  void aLongTextIsCutIntoWindowsThatNeverSplitAWord() {
    // content: a ##b ##c d e ##f g ; windows of 3 content tokens (maxLength 5)
    long[] ids = {CLS, 1, 2, 3, 4, 5, 6, 7, SEP};
    String[] tokens = {"[CLS]", "a", "##b", "##c", "d", "e", "##f", "g", "[SEP]"};

    List<TokenWindows.Window> windows = TokenWindows.split(ids, tokens, 5);

    // first cut at index 4 ("d") is a word start: [a ##b ##c]; next cut would be at 7 ("g"): [d e ##f]
    assertThat(windows).extracting(TokenWindows.Window::ids)
        .containsExactly(new long[] {CLS, 1, 2, 3, SEP}, new long[] {CLS, 4, 5, 6, SEP},
            new long[] {CLS, 7, SEP});
    assertThat(windows).extracting(TokenWindows.Window::contentTokens).containsExactly(3, 3, 1);
  }

  @Test
  void aCutMovesBackBeforeAContinuationPiece() {
    long[] ids = {CLS, 1, 2, 3, 4, SEP};
    String[] tokens = {"[CLS]", "a", "b", "##c", "d", "[SEP]"};

    List<TokenWindows.Window> windows = TokenWindows.split(ids, tokens, 4);

    assertThat(windows).extracting(TokenWindows.Window::ids)
        .containsExactly(new long[] {CLS, 1, SEP}, new long[] {CLS, 2, 3, SEP},
            new long[] {CLS, 4, SEP});
  }

  @Test
  void aTextWithoutContentTokensHasNoWindow() {
    assertThat(TokenWindows.split(new long[] {CLS, SEP}, new String[] {"[CLS]", "[SEP]"}, 512))
        .isEmpty();
  }
}
