// libFuzzer target for the decoding base: bytes in, never a crash, and the same events
// wherever the body is cut. Not part of the package build or the tests.
//
// Build (from the package root; instrumented with ASan; only the files that do not use
// the HTTP stack are compiled):
//
//     mkdir -p .build/fuzz && cd .build/fuzz
//     FLAGS="-parse-as-library -sanitize=fuzzer,address -O -wmo"
//     swiftc $FLAGS -module-name ParleyCore -emit-module -c $(find ../../Sources/ParleyCore -name '*.swift') \
//         -o ParleyCore.o
//     swiftc $FLAGS -module-name ParleyProviders -I . -emit-module -c \
//         $(grep -rLE '^import (AsyncHTTPClient|NIO)' ../../Sources/ParleyProviders --include='*.swift') \
//         -o ParleyProviders.o
//     swiftc $FLAGS -use-ld=lld -I . ../../Fuzz/DecoderFuzzer.swift ParleyCore.o ParleyProviders.o -o fuzz-decoder
//
// Run for a few minutes, seeded with the recorded streams (crashes are written as crash-*):
//
//     mkdir -p corpus && cp ../../../shared/fixtures/streams/*/*.sse corpus/
//     SWIFT_BACKTRACE=enable=no ./fuzz-decoder corpus -max_len=8192 -max_total_time=300
//
// Replay one input: `./fuzz-decoder crash-…`.

import ParleyCore
import ParleyProviders

/// The wire formats whose decoders are written; add each new one here.
let formats: [WireFormat] = [.openAIChat]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = input.first else { return 0 }
    let body = Array(input.dropFirst())

    checkJSON(body)
    let format = formats[Int(control) % formats.count]
    let whole = decode(body, format: format, cuts: [])
    checkShape(whole)
    // The control byte also picks where to cut, so every cut position gets explored.
    let cut = body.isEmpty ? 0 : Int(control) * 257 % body.count
    let pieces = decode(body, format: format, cuts: [cut, cut + 1, cut + 3])
    if pieces != whole { fatalError("cut at \(cut) gave \(pieces), whole gave \(whole)") }
    return 0
}

/// Anything that parses writes out as JSON that parses to the same value.
func checkJSON(_ bytes: [UInt8]) {
    guard let value = try? JSON.parse(bytes) else { return }
    let text = value.serialized()
    guard let again = try? JSON.parse(text), again.serialized() == text else {
        fatalError("\(text) does not read back")
    }
}

func decode(_ body: [UInt8], format: WireFormat, cuts: [Int]) -> [StreamEvent] {
    var decoder = ReplyDecoder(format: format, provider: "Fuzz")
    var events: [StreamEvent] = []
    var start = 0
    for cut in cuts where cut > start && cut < body.count {
        events += decoder.decode(body[start..<cut])
        start = cut
    }
    events += decoder.decode(body[start...])
    return events + decoder.finish()
}

/// One start first, one usage and one stop last, at most one error.
func checkShape(_ events: [StreamEvent]) {
    var starts = 0
    var usages = 0
    var stops = 0
    var errors = 0
    for event in events {
        switch event {
        case .start: starts += 1
        case .usage: usages += 1
        case .stop: stops += 1
        case .error: errors += 1
        default: break
        }
    }
    guard case .start = events.first, case .stop = events.last, starts == 1, usages == 1, stops == 1, errors <= 1
    else { fatalError("badly shaped reply: \(events)") }
}
