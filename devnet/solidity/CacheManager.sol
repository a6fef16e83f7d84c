// SPDX-License-Identifier: MIT OR Apache-2.0
pragma solidity 0.8.30;

/// The parts of ArbWasm (0x71) the cache manager reads.
interface IArbWasm {
    function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
}

/// The parts of ArbWasmCache (0x72) the cache manager calls; it must be one
/// of the chain's cache managers (ArbOwner `addWasmCacheManager`).
interface IArbWasmCache {
    function cacheProgram(address program) external;
    function evictCodehash(bytes32 codehash) external;
    function codehashIsCached(bytes32 codehash) external view returns (bool);
}

/// The devnet's Stylus cache manager, with the interface cargo-stylus's
/// `cache bid` and `cache status` use: programs bid ETH for a place in a
/// cache of `cacheSize` bytes of machine code; a bid that needs room evicts
/// the lowest bids, and must be at least as high as each. A bid counts as
/// its value plus `decay` wei per second of the time it was placed, so an
/// old bid loses to an equal new one as time passes. Every bid is bounded
/// by the cache size over the smallest program, so the loops are too.
contract CacheManager {
    /// A cached program: its code hash, machine-code size and effective bid.
    struct Entry {
        bytes32 code;
        uint64 size;
        uint192 bid;
    }

    IArbWasm internal constant ARB_WASM = IArbWasm(address(0x71));
    IArbWasmCache internal constant ARB_WASM_CACHE = IArbWasmCache(address(0x72));

    /// Who may pause bidding, resize the cache, set the decay and take the bids.
    address public owner;
    /// Bytes of machine code the cache holds.
    uint64 public cacheSize;
    /// Bytes of machine code the cached programs take.
    uint64 public queueSize;
    /// Wei per second added to a bid for the time it is placed.
    uint64 public decay;
    /// Whether bidding is paused.
    bool public isPaused;
    /// The cached programs, in no order.
    Entry[] internal entries;

    /// The program's machine code is larger than the whole cache.
    error AsmTooLarge(uint256 asm, uint256 queueSize, uint256 cacheSize);
    /// The program is cached already.
    error AlreadyCached(bytes32 codehash);
    /// The bid does not beat a bid it would have to evict.
    error BidTooSmall(uint192 bid, uint192 min);
    /// The bid's value with its decay does not fit in 192 bits.
    error BidTooLarge(uint256 bid);
    /// The owner paused bidding.
    error BidsArePaused();
    /// The address holds no activated Stylus program.
    error ProgramNotActivated();
    /// Only the owner may do this.
    error NotOwner(address caller);
    /// The owner did not accept the swept funds.
    error SweepFailed();

    /// A program was cached for `bid`.
    event InsertBid(bytes32 indexed codehash, address program, uint192 bid, uint64 size);
    /// A program was evicted, its place taken by a higher bid or lost to a smaller cache.
    event DeleteBid(bytes32 indexed codehash, uint192 bid, uint64 size);
    /// The owner set whether bidding is paused.
    event SetPaused(bool paused);
    /// The owner resized the cache.
    event SetCacheSize(uint64 size);
    /// The owner set the decay.
    event SetDecayRate(uint64 decay);

    /// A cache of `cacheSize_` bytes with `decay_` wei per second, owned by the deployer.
    constructor(uint64 cacheSize_, uint64 decay_) {
        owner = msg.sender;
        cacheSize = cacheSize_;
        decay = decay_;
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// Caches `program` for the call's value, evicting lower bids if it needs room.
    function placeBid(address program) external payable {
        if (isPaused) revert BidsArePaused();
        bytes32 code = program.codehash;
        uint64 size = asmSize(code);
        if (ARB_WASM_CACHE.codehashIsCached(code)) revert AlreadyCached(code);
        if (size > cacheSize) revert AsmTooLarge(size, queueSize, cacheSize);
        uint256 effective = msg.value + uint256(decay) * block.timestamp;
        if (effective > type(uint192).max) revert BidTooLarge(effective);
        uint192 bid = uint192(effective);
        makeRoom(size, bid);
        entries.push(Entry(code, size, bid));
        queueSize += size;
        ARB_WASM_CACHE.cacheProgram(program);
        emit InsertBid(code, program, bid, size);
    }

    /// The value a bid for `program` needs now.
    function getMinBid(address program) external view returns (uint192 min) {
        return getMinBid(asmSize(program.codehash));
    }

    /// The value a bid for a program of `size` bytes of machine code needs now:
    /// 0 while the cache has room, else the highest of the bids it would evict
    /// (lowest first), less the decay the new bid is credited with.
    function getMinBid(uint64 size) public view returns (uint192 min) {
        if (size > cacheSize) revert AsmTooLarge(size, queueSize, cacheSize);
        Entry[] memory left = entries;
        uint256 count = left.length;
        uint256 used = queueSize;
        uint192 highest;
        while (used + size > cacheSize) {
            uint256 lowest = lowestOf(left, count);
            if (left[lowest].bid > highest) highest = left[lowest].bid;
            used -= left[lowest].size;
            left[lowest] = left[--count];
        }
        uint256 credit = uint256(decay) * block.timestamp;
        return highest > credit ? uint192(highest - credit) : 0;
    }

    /// Every cached program with its effective bid.
    function getEntries() external view returns (Entry[] memory) {
        return entries;
    }

    /// The owner pauses or resumes bidding.
    function setPaused(bool paused) external onlyOwner {
        isPaused = paused;
        emit SetPaused(paused);
    }

    /// The owner resizes the cache; a smaller cache evicts its lowest bids.
    function setCacheSize(uint64 size) external onlyOwner {
        cacheSize = size;
        while (queueSize > cacheSize) evict(lowestOf(entries, entries.length));
        emit SetCacheSize(size);
    }

    /// The owner sets the decay in wei per second.
    function setDecayRate(uint64 decay_) external onlyOwner {
        decay = decay_;
        emit SetDecayRate(decay_);
    }

    /// The owner takes the bids paid so far.
    function sweepFunds() external onlyOwner {
        (bool sent,) = owner.call{value: address(this).balance}("");
        if (!sent) revert SweepFailed();
    }

    /// Machine-code size of the activated program `code`.
    function asmSize(bytes32 code) internal view returns (uint64) {
        try ARB_WASM.codehashAsmSize(code) returns (uint32 size) {
            return size;
        } catch {
            revert ProgramNotActivated();
        }
    }

    /// Evicts the lowest bids until `size` more bytes fit; each must be at most `bid`.
    function makeRoom(uint64 size, uint192 bid) internal {
        while (queueSize + size > cacheSize) {
            uint256 lowest = lowestOf(entries, entries.length);
            if (entries[lowest].bid > bid) revert BidTooSmall(bid, entries[lowest].bid);
            evict(lowest);
        }
    }

    /// Index of the lowest bid among the first `count` of `list`.
    function lowestOf(Entry[] memory list, uint256 count) internal pure returns (uint256 lowest) {
        for (uint256 i = 1; i < count; i++) {
            if (list[i].bid < list[lowest].bid) lowest = i;
        }
    }

    /// Evicts entry `index` from the cache.
    function evict(uint256 index) internal {
        Entry memory entry = entries[index];
        entries[index] = entries[entries.length - 1];
        entries.pop();
        queueSize -= entry.size;
        ARB_WASM_CACHE.evictCodehash(entry.code);
        emit DeleteBid(entry.code, entry.bid, entry.size);
    }
}
