import ParleyStreaming
import Testing

@Suite("Inter-chunk gaps in fixed memory")
struct GapHistogramTests {
    @Test("the largest gap is exact and the 95th percentile is within a bucket of the truth")
    func percentiles() throws {
        var gaps = GapHistogram()
        for _ in 0..<95 { gaps.record(.milliseconds(10)) }
        for _ in 0..<5 { gaps.record(.milliseconds(400)) }
        #expect(gaps.count == 100)
        #expect(gaps.max == .milliseconds(400))
        let p95 = try #require(gaps.percentile(0.95))
        #expect(p95 >= .milliseconds(10) && p95 <= .microseconds(12_500))
        let p99 = try #require(gaps.percentile(0.99))
        #expect(p99 >= .milliseconds(320) && p99 <= .milliseconds(400))
    }

    @Test("no gaps, no percentile; huge and zero gaps are counted, not dropped")
    func extremes() {
        var gaps = GapHistogram()
        #expect(gaps.percentile(0.95) == nil)
        gaps.record(.zero)
        gaps.record(.seconds(3600))
        #expect(gaps.count == 2)
        #expect(gaps.max == .seconds(3600))
        #expect(gaps.percentile(1) == .seconds(3600))
    }
}
