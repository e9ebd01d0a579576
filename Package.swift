// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Parley",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "parley", targets: ["parley"])
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // Wide-character curses. Only the terminal UI module may import it.
        // A C target, not a system library: the signal handlers' state lives once, in signals.c.
        // Needs libncursesw (Debian: libncursesw5-dev, which .ci/run installs).
        .target(name: "CNCurses"),
        // Pure domain values: no I/O, no dependencies, no global state.
        .target(name: "ParleyCore"),
        // Wire formats (framing, provider JSON), request building, HTTP transport, demo provider.
        .target(
            name: "ParleyProviders",
            dependencies: [
                "ParleyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Conversations on disk: SQLite through GRDB, migrations, full-text search, typed failures;
        // attachments kept once by their SHA-256 (Crypto).
        .target(
            name: "ParleyStore",
            dependencies: [
                "ParleyCore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Runs replies as sessions: state, metrics, time limit, cancellation, 50 ms batches, traces.
        .target(
            name: "ParleyStreaming",
            dependencies: ["ParleyCore", "ParleyProviders"]
        ),
        // The config file: pure parsing and validation (text in, `Config` or a located error out),
        // its location, and the key commands it names.
        .target(
            name: "ParleyConfig",
            dependencies: [
                "ParleyCore", "ParleyProviders", .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // Tools from MCP servers: reaching each server (a stdio child or Streamable HTTP), listing its
        // tools and calling them, with a time limit, a size cap and a typed failure for every way
        // a server can misbehave.
        .target(
            name: "ParleyTools",
            dependencies: [
                "ParleyCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // `parley serve`: an OpenAI-compatible HTTP relay in front of every provider (Hummingbird):
        // pure request parsing and chunk encoding, the server, auth, limits.
        .target(
            name: "ParleyRelay",
            dependencies: [
                "ParleyCore", "ParleyProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The full-screen app: state, reducer, views into a cell grid, and the only curses caller.
        .target(name: "ParleyTUI", dependencies: ["ParleyCore", "CNCurses"]),
        .executableTarget(
            name: "parley",
            dependencies: [
                "ParleyCore",
                "ParleyTUI",
                "ParleyProviders",
                "ParleyStore",
                "ParleyStreaming",
                "ParleyConfig",
                "ParleyTools",
                "ParleyRelay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            // The release binary loads as an executable, not a library: it exports no symbols, and
            // it is not position-independent, so the loader has no 140,000 pointers to relocate at
            // start. Together that is 5 MB less memory for every `parley` running (issue 12).
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--no-export-dynamic", "-Xclang-linker", "-no-pie"],
                    .when(platforms: [.linux], configuration: .release))
            ]
        ),
        // Release-mode performance figures against the product budgets: `swift run -c release parley-bench`.
        .executableTarget(
            name: "parley-bench",
            dependencies: ["ParleyProviders", "ParleyCore", "ParleyStore", "ParleyStreaming", "ParleyTUI"],
            path: "Sources/parley-bench"),
        // For tests only: a real HTTP server on 127.0.0.1 (replays bytes in pieces, stalls, drops,
        // fails) and the byte-splitting harness every decoder test uses.
        .target(
            name: "ParleyTestSupport",
            dependencies: [
                "ParleyProviders",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "Clocks", package: "swift-clocks"),
            ],
            path: "Tests/ParleyTestSupport"
        ),
        .testTarget(name: "ParleyCoreTests", dependencies: ["ParleyCore"]),
        .testTarget(
            name: "ParleyProvidersTests",
            dependencies: [
                "ParleyProviders", "ParleyTestSupport", .product(name: "Clocks", package: "swift-clocks"),
            ],
            // Stream bodies the tests read from the source tree by path, not bundled resources.
            exclude: ["Fixtures"]),
        .testTarget(
            name: "ParleyStoreTests",
            dependencies: [
                "ParleyStore", "ParleyCore", "ParleyTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Clocks", package: "swift-clocks"),
            ]),
        .testTarget(
            name: "ParleyStreamingTests",
            dependencies: [
                "ParleyStreaming", "ParleyTestSupport", .product(name: "Clocks", package: "swift-clocks"),
            ]),
        .testTarget(
            name: "ParleyToolsTests",
            dependencies: [
                "ParleyTools", "ParleyCore", "ParleyProviders", "ParleyTestSupport",
                .product(name: "Clocks", package: "swift-clocks"),
            ]),
        .testTarget(
            name: "ParleyRelayTests",
            dependencies: [
                "ParleyRelay", "ParleyCore", "ParleyProviders", "ParleyTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Clocks", package: "swift-clocks"),
            ]),
        .testTarget(name: "CNCursesTests", dependencies: ["CNCurses"]),
        .testTarget(name: "ParleyTUITests", dependencies: ["ParleyTUI", "ParleyCore"]),
        .testTarget(
            name: "ParleyConfigTests",
            dependencies: [
                "ParleyConfig", "ParleyProviders", "ParleyTestSupport",
                .product(name: "Clocks", package: "swift-clocks"),
            ]),
        .testTarget(
            name: "ParleyCLITests",
            dependencies: [
                "parley", "ParleyTestSupport", "ParleyCore", "ParleyStore", "ParleyConfig", "ParleyTUI", "ParleyRelay",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Clocks", package: "swift-clocks"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // Decodes every recorded provider stream under Tests/Fixtures/streams and states what each yields.
        .testTarget(name: "ConformanceTests", dependencies: ["ParleyProviders", "ParleyTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
