package io.mister.encoder.text;

import java.util.ArrayList;
import java.util.List;

/** Varied test sentences: conversational English, MELD typography, other scripts, emoji, long. */
final class Sentences {

  private Sentences() {}

  static final String LONG_PARAGRAPH =
      "Look, I know you think this whole thing is ridiculous, and maybe it is, but when I called"
          + " the company for the third time this week they put me on hold for forty-five minutes,"
          + " transferred me to a department that doesn’t exist, and then the line went dead. ";

  static List<String> varied() {
    List<String> s = new ArrayList<>(List.of(
        "Oh my God, he’s lost it. He’s totally lost it.",
        "What?",
        "Or! Or, we could go to the bank, close our accounts and cut them off at the source.",
        "You’re a genius!",
        "Aww, man, now we wont be bank buddies!",
        "Now, there’s two reasons.",
        "Hey.",
        "I…I don’t know what to say — I’m speechless.",
        "“Well,” she said, ‘maybe next time.’",
        "Okay… okay… OKAY!",
        "No way! You did NOT just say that!!!",
        "I’m so sorry for your loss.",
        "This is the worst customer service I have ever experienced.",
        "Thank you so much, you’ve been incredibly helpful today.",
        "Can you please hold for a moment while I check your account?",
        "I want to cancel my subscription immediately.",
        "My order number is 48213-XZ and it still hasn't arrived after 3 weeks.",
        "Please visit https://example.com/help?id=42&lang=en for details.",
        "e-mail me at jane.doe@example.org — thanks!",
        "The price went from $19.99 to €24,50 overnight; that’s a 23% increase.",
        "I'm scared. I really am. What if it happens again?",
        "Ugh, that's disgusting.",
        "Wow, I didn't expect that at all!",
        "Whatever.",
        "Hmm.",
        "Yes",
        "no",
        "a",
        "Ich bin wirklich sehr enttäuscht über den Kundenservice.",
        "Große Überraschung: die Straße ist gesperrt, schon wieder!",
        "Je suis très content, merci beaucoup à vous tous.",
        "¿Dónde está la biblioteca? ¡No lo sé!",
        "Это просто ужасно, я очень зол.",
        "私はとても嬉しいです。ありがとう！",
        "我今天非常生气，因为我的包裹又丢了。",
        "مرحبا، كيف حالك اليوم؟",
        "שלום, מה שלומך?",
        "नमस्ते, आप कैसे हैं?",
        "Ελπίζω να είσαι καλά.",
        "I love this!!! 😍😍😍",
        "That's hilarious 😂🤣 I can't stop laughing",
        "😡😡😡",
        "Great job 👍🏽 team 🎉",
        "I'm fine 🙂 totally fine 🙃",
        "Café naïve résumé coöperate façade",
        "Tab\tseparated\twords and  double  spaces",
        "Line one\nline two\r\nline three",
        "ALL CAPS SHOUTING BECAUSE I AM ANGRY",
        "mIxEd CaSe tExT iS wEiRd",
        "1234567890",
        "!!!???...",
        "[laughs] (sighs) <inaudible>",
        "Joey: How you doin’?",
        "Chandler: Could I BE any more clear?",
        "Pivot! Pivot! PIVOT!",
        "We were on a break!",
        "a\u0301 combining accent and zero\u200bwidth space",
        "Smart quotes ’’’ and ellipses …… and dashes ——",
        "The quick brown fox jumps over the lazy dog. ".repeat(12).trim()));
    s.add(LONG_PARAGRAPH.repeat(4).trim()); // about 260 tokens
    s.add(LONG_PARAGRAPH.repeat(12).trim()); // about 780 tokens: two windows
    s.add(("Supercalifragilisticexpialidocious antidisestablishmentarianism "
        + "pneumonoultramicroscopicsilicovolcanoconiosis ").repeat(40).trim()); // long word pieces
    s.add("😀🎉🔥💯🙏 ".repeat(150).trim()); // hundreds of [UNK]
    return s;
  }
}
