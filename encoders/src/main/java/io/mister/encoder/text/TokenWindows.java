package io.mister.encoder.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one tokenised text into inference windows no longer than the model's maximum, the way
 * LangChain4j's {@code OnnxBertBiEncoder} does, so that long texts embed the same here as there:
 * the content tokens (between [CLS] and [SEP]) are cut every {@code maxLength - 2} tokens, moving a
 * cut back while it would fall before a {@code ##} word-piece continuation (a word is never split),
 * and each window is wrapped in [CLS] ... [SEP] again. The text embedding is the average of the
 * window embeddings weighted by their content length.
 */
final class TokenWindows {

  /** One inference window: token ids including [CLS] and [SEP], and its weight. */
  record Window(long[] ids, int contentTokens) {}

  private TokenWindows() {}

  /**
   * @param ids token ids of the whole text with [CLS] first and [SEP] last
   * @param tokens the matching token strings
   * @param maxLength window length including the two special tokens
   * @return the windows, empty when the text has no content tokens
   */
  static List<Window> split(long[] ids, String[] tokens, int maxLength) {
    if (ids.length != tokens.length) {
      throw new IllegalArgumentException("ids and tokens differ in length");
    }
    int contentPerWindow = maxLength - 2;
    int last = ids.length - 1; // index of [SEP]
    List<Window> windows = new ArrayList<>();
    int from = 1; // after [CLS]
    while (from < last) {
      int to = from + contentPerWindow;
      if (to >= last) {
        to = last;
      } else {
        while (to > from + 1 && tokens[to].startsWith("##")) {
          to--;
        }
      }
      long[] window = new long[to - from + 2];
      window[0] = ids[0];
      System.arraycopy(ids, from, window, 1, to - from);
      window[window.length - 1] = ids[last];
      windows.add(new Window(window, to - from));
      from = to;
    }
    return windows;
  }
}
