package io.certloop.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void textThatFitsIsKeptWhole() {
        assertThat(Text.cut("fits", 4)).isEqualTo("fits");
        assertThat(Text.cut(null, 4)).isNull();
    }

    @Test
    void longerTextIsCutToTheLimitAndSaysSo() {
        String cut = Text.cut("a".repeat(5_000), 2_000);

        assertThat(cut).hasSize(2_000).endsWith(Text.CUT_MARK).startsWith("aaa");
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        // U+1F512 (a padlock) is two UTF-16 units: cutting between them would store half a character
        String text = "ab" + "\uD83D\uDD12".repeat(10);

        String cut = Text.cut(text, 4);

        assertThat(cut).isEqualTo("ab" + Text.CUT_MARK);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
    }

    @Test
    void checkedTextNamesTheFieldWhenItIsTooLong() {
        List<FieldError> errors = new ArrayList<>();

        Text.checkLength(errors, "reason", "r".repeat(11), 10);
        Text.checkLength(errors, "fine", "r".repeat(10), 10);
        Text.checkLength(errors, "absent", null, 10);

        assertThat(errors).containsExactly(new FieldError("reason", "must be at most 10 characters, was 11"));
        assertThatThrownBy(() -> Text.requireLength("comment", "c".repeat(11), 10))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("comment: must be at most 10 characters, was 11");
    }
}
