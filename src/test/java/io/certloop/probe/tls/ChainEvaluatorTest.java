package io.certloop.probe.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.certloop.support.TestCertificates;
import io.certloop.support.TestCertificates.Issued;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainEvaluatorTest {

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    private final Issued root = TestCertificates.rootCa("Cache Root")
            .now(NOW)
            .expiringIn(Duration.ofDays(3650))
            .selfSigned();
    private final Issued ca = TestCertificates.intermediate("Cache CA")
            .now(NOW)
            .expiringIn(Duration.ofDays(1000))
            .signedBy(root);

    private ChainEvaluator evaluator(int cacheSize) {
        return new ChainEvaluator(TrustAnchors.of(List.of(root.certificate())), cacheSize);
    }

    private Issued leaf(String name) {
        return TestCertificates.leaf(name)
                .now(NOW)
                .expiringIn(Duration.ofDays(30))
                .signedBy(ca);
    }

    @Test
    void theSameChainIsJudgedOnceAndThenAnsweredFromTheCache() {
        ChainEvaluator chains = evaluator(16);
        List<java.security.cert.X509Certificate> chain = leaf("svc.test").chain();

        ChainEvaluator.Verdict first = chains.evaluate(chain, NOW);
        ChainEvaluator.Verdict second = chains.evaluate(chain, NOW.plus(Duration.ofHours(1)));

        assertThat(first.trusted()).isTrue();
        assertThat(second).isSameAs(first);
        assertThat(chains.evaluations()).isEqualTo(1);
    }

    @Test
    void aCachedVerdictIsTheVerdictAFreshEvaluationGives() {
        List<java.security.cert.X509Certificate> chain = leaf("svc.test").chain();
        ChainEvaluator cached = evaluator(16);
        cached.evaluate(chain, NOW);

        assertThat(cached.evaluate(chain, NOW.plus(Duration.ofDays(1))))
                .isEqualTo(evaluator(16).evaluate(chain, NOW.plus(Duration.ofDays(1))));
    }

    @Test
    void aDifferentChainGetsItsOwnVerdict() {
        ChainEvaluator chains = evaluator(16);
        Issued otherRoot = TestCertificates.rootCa("Other Root")
                .now(NOW)
                .expiringIn(Duration.ofDays(3650))
                .selfSigned();
        Issued stranger = TestCertificates.leaf("svc.test")
                .now(NOW)
                .expiringIn(Duration.ofDays(30))
                .signedBy(otherRoot);

        ChainEvaluator.Verdict trusted = chains.evaluate(leaf("svc.test").chain(), NOW);
        ChainEvaluator.Verdict untrusted = chains.evaluate(stranger.chainWithRoot(), NOW);

        assertThat(trusted.trusted()).isTrue();
        assertThat(untrusted.trusted()).isFalse();
        assertThat(untrusted.anchorTrusted()).isFalse();
        assertThat(chains.evaluations()).isEqualTo(2);
    }

    @Test
    void aChainMissingItsIntermediateIsNotAnsweredWithTheCompleteChainsVerdict() {
        ChainEvaluator chains = evaluator(16);
        Issued leaf = leaf("svc.test");

        assertThat(chains.evaluate(leaf.chain(), NOW).complete()).isTrue();
        assertThat(chains.evaluate(List.of(leaf.certificate()), NOW).complete()).isFalse();
    }

    @Test
    void aVerdictCachedWhileTheLeafWasValidDoesNotHideItsExpiry() {
        ChainEvaluator chains = evaluator(16);
        Issued leaf = TestCertificates.leaf("svc.test")
                .now(NOW)
                .expiringIn(Duration.ofDays(1))
                .signedBy(ca);

        assertThat(chains.evaluate(leaf.chain(), NOW).trusted()).isTrue();
        ChainEvaluator.Verdict later = chains.evaluate(leaf.chain(), NOW.plus(Duration.ofDays(2)));

        assertThat(later.trusted()).isFalse();
        assertThat(later.trustDetail()).contains("path validation failed");
        assertThat(chains.evaluate(leaf.chain(), NOW).trusted()).isTrue();
    }

    @Test
    void aVerdictJudgedBeforeTheLeafWasValidIsNotReusedOnceItIs() {
        ChainEvaluator chains = evaluator(16);
        Issued leaf = TestCertificates.leaf("svc.test").now(NOW).notYetValid().signedBy(ca);

        assertThat(chains.evaluate(leaf.chain(), NOW).trusted()).isFalse();
        assertThat(chains.evaluate(leaf.chain(), NOW.plus(Duration.ofDays(2))).trusted())
                .isTrue();
        assertThat(chains.cachedChains()).isEqualTo(1);
    }

    @Test
    void anExpiredIntermediateIsNotHiddenByAVerdictCachedBeforeIt() {
        ChainEvaluator chains = evaluator(16);
        Issued shortCa = TestCertificates.intermediate("Short CA")
                .now(NOW)
                .expiringIn(Duration.ofDays(1))
                .signedBy(root);
        Issued leaf = TestCertificates.leaf("svc.test")
                .now(NOW)
                .expiringIn(Duration.ofDays(30))
                .signedBy(shortCa);

        assertThat(chains.evaluate(leaf.chain(), NOW).trusted()).isTrue();
        assertThat(chains.evaluate(leaf.chain(), NOW.plus(Duration.ofDays(2))).trusted())
                .isFalse();
    }

    @Test
    void theCacheIsBoundedAndForgetsTheLeastRecentlyUsedChain() {
        ChainEvaluator chains = evaluator(2);
        Issued a = leaf("a.test");
        Issued b = leaf("b.test");
        Issued c = leaf("c.test");

        chains.evaluate(a.chain(), NOW);
        chains.evaluate(b.chain(), NOW);
        chains.evaluate(c.chain(), NOW);
        assertThat(chains.cachedChains()).isEqualTo(2);
        assertThat(chains.evaluations()).isEqualTo(3);

        chains.evaluate(c.chain(), NOW);
        assertThat(chains.evaluations()).isEqualTo(3);
        chains.evaluate(a.chain(), NOW);
        assertThat(chains.evaluations()).isEqualTo(4);
    }
}
