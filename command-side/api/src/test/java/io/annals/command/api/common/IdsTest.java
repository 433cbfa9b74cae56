package io.annals.command.api.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdsTest {

    /** The rule as it is documented; the check is written out by hand and must agree with it on every string. */
    private static final Pattern RULE = Pattern.compile("[a-z][a-z0-9_-]{0,62}");

    @Test
    void theHandWrittenCheckAgreesWithTheRule_onEdgesAndOnRandomStrings() {
        String[] edges = {"a", "z", "a-", "a_", "a0", "risk-model_2", "a".repeat(63), "a".repeat(64), "", "-a", "_a",
            "0a", "A", "aB", "a b", "a.b", "a#1", "é", "a\u0000", "a{", "a`", "a/", "a:", "a@", "a[", "z9-_"};
        for (String edge : edges) {
            assertThat(Ids.isName(edge)).as("'%s'", edge).isEqualTo(RULE.matcher(edge).matches());
        }
        Random random = new Random(3);
        String alphabet = "abcxyz019_-AZ .#/:@[`{é";
        int names = 0;
        for (int i = 0; i < 100_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int n = random.nextInt(70); n > 0; n--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            boolean expected = RULE.matcher(value).matches();
            assertThat(Ids.isName(value.toString())).as("'%s'", value).isEqualTo(expected);
            names += expected ? 1 : 0;
        }
        assertThat(names).as("random strings that are names").isPositive();
    }

    @Test
    void aNameThatBreaksTheRuleIsRefusedWithTheRule() {
        assertThat(Ids.requireName("model", "risk-2")).isEqualTo("risk-2");
        assertThatThrownBy(() -> Ids.requireName("model", "Risk"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model 'Risk' is invalid");
        assertThatThrownBy(() -> Ids.requireName("model", " "))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("model must not be blank");
    }
}
