package io.certloop.detection;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.issuance.RenewalWindow;
import io.certloop.issuance.RenewalWindows;
import io.certloop.probe.Finding;
import io.certloop.probe.FindingCodes;
import io.certloop.probe.ProbeProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class CaRenewalCheckTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void noFindingWhileTheChosenPointLiesAhead() {
        assertThat(findings(() -> Optional.of(window(
                        NOW.minus(Duration.ofHours(1)),
                        NOW.plus(Duration.ofDays(2)),
                        NOW.plus(Duration.ofMinutes(1))))))
                .isEmpty();
    }

    @Test
    void renewalIsSuggestedOnceTheChosenPointHasPassed() {
        List<Finding> findings =
                findings(() -> Optional.of(window(NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(1)), NOW)));

        assertThat(findings).extracting(Finding::code).containsExactly(FindingCodes.RENEWAL_SUGGESTED);
        assertThat(findings.get(0).evidence())
                .containsEntry("overdue", false)
                .containsEntry("windowStart", NOW.minus(Duration.ofDays(1)).toString())
                .containsEntry("explanationUrl", "https://ca.example.test/why");
    }

    @Test
    void aWindowWhoseEndHasPassedIsUrgent() {
        Finding finding = findings(() -> Optional.of(window(
                        NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2)))))
                .get(0);

        assertThat(finding.evidence()).containsEntry("overdue", true);
        assertThat(finding.detail()).contains("urgent");
    }

    @Test
    void noWindowKnownMeansNoFinding() {
        assertThat(findings(Optional::empty)).isEmpty();
    }

    @Test
    void aBrokenCheckNeverBreaksTheDetectionCycle() {
        assertThat(findings(() -> {
                    throw new IllegalStateException("database gone");
                }))
                .isEmpty();
    }

    private static RenewalWindow window(Instant start, Instant end, Instant renewAt) {
        return new RenewalWindow(
                "crt-1",
                "web",
                "a".repeat(64),
                start,
                end,
                renewAt,
                "https://ca.example.test/why",
                NOW,
                NOW,
                NOW.plus(Duration.ofHours(6)),
                null);
    }

    private static List<Finding> findings(Supplier<Optional<RenewalWindow>> answer) {
        RenewalWindows windows = new RenewalWindows() {
            @Override
            public Optional<RenewalWindow> check(String leafSha256, Duration cycle) {
                assertThat(leafSha256).isEqualTo("a".repeat(64));
                return answer.get();
            }

            @Override
            public Optional<RenewalWindow> stored(String leafSha256) {
                return answer.get();
            }
        };
        return new CaRenewalCheck(windows, ProbeProperties.defaults(), CLOCK)
                .findings(FindingAnnouncementTest.endpoint(), FindingAnnouncementTest.report(List.of()));
    }
}
