// libFuzzer target: every decoder of a provider's reply. Bytes in: never a crash, never a hang,
// a reply of the right shape, and the same events (and frames) wherever the body is cut.
// Built and run by Fuzz/build and Fuzz/run (see Fuzz/README.md).

import ParleyCore
import ParleyProviders

/// Every wire format Parley reads.
let formats = WireFormat.allCases

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    guard let control = input.first else { return 0 }
    let body = Array(input.dropFirst())
    // The control byte also picks where to cut, so every cut position gets explored.
    let cut = body.isEmpty ? 0 : Int(control) * 257 % body.count
    let cuts = [cut, cut + 1, cut + 3]

    checkJSON(body)
    checkSSE(body, cuts: cuts)
    checkNDJSON(body, cuts: cuts)
    let format = formats[Int(control) % formats.count]
    let whole = decode(body, format: format, cuts: [])
    checkShape(whole)
    let pieces = decode(body, format: format, cuts: cuts)
    if pieces != whole { fatalError("\(format) cut at \(cut) gave \(pieces), whole gave \(whole)") }
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

/// The same events, or the same failure, however the bytes arrive.
func checkSSE(_ body: [UInt8], cuts: [Int]) {
    func events(_ pieces: [ArraySlice<UInt8>]) -> Result<[SSEEvent], FramingError> {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        do {
            for piece in pieces { try decoder.decode(piece, into: &events) }
            return .success(events)
        } catch {
            return .failure(error)
        }
    }
    let whole = events([body[...]])
    let cut = events(pieces(body, cuts))
    if whole != cut { fatalError("SSE: whole \(whole), cut \(cut)") }
}

func checkNDJSON(_ body: [UInt8], cuts: [Int]) {
    func lines(_ pieces: [ArraySlice<UInt8>]) -> Result<[[UInt8]], FramingError> {
        var decoder = NDJSONDecoder()
        var lines: [[UInt8]] = []
        do {
            for piece in pieces { try decoder.decode(piece, into: &lines) }
            return .success(lines + decoder.finish())
        } catch {
            return .failure(error)
        }
    }
    let whole = lines([body[...]])
    let cut = lines(pieces(body, cuts))
    if whole != cut { fatalError("NDJSON: whole \(whole), cut \(cut)") }
}

func pieces(_ body: [UInt8], _ cuts: [Int]) -> [ArraySlice<UInt8>] {
    var pieces: [ArraySlice<UInt8>] = []
    var start = 0
    for cut in cuts where cut > start && cut < body.count {
        pieces.append(body[start..<cut])
        start = cut
    }
    return pieces + [body[start...]]
}

func decode(_ body: [UInt8], format: WireFormat, cuts: [Int]) -> [StreamEvent] {
    var decoder = ReplyDecoder(format: format, provider: "Fuzz")
    var events: [StreamEvent] = []
    for piece in pieces(body, cuts) { events += decoder.decode(piece) }
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
