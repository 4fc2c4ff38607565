// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ISupplyAnchor} from "./ISupplyAnchor.sol";
import {ITradingPartners} from "./ITradingPartners.sol";

/// @title IDigitalTwin
/// @author medchain
/// @notice ERC-721 "digital twins" of serialized medicine units, minted lazily: a unit needs no token until
///         someone wants its custody on chain. The token id is the unit's canonical key (`uint256(unitKey)`,
///         for example the keccak256 of its canonical GS1 Digital Link URI). The owner of a twin is the unit's
///         current custodian, one at a time (ERC-721). Custody moves only with an EPCIS event proven against a
///         batch that the moving partner anchored in the {ISupplyAnchor}:
///
///         - {mintTwin}: a manufacturer proves a commissioning event from one of its own batches;
///         - {transferCustody}: the custodian proves a shipping event from one of its own batches;
///         - {decommission}: a dispensing custodian proves a dispensing/decommissioning event and the twin is
///           burned; a decommissioned unit key can never be minted again (a later scan of it is a clone).
///
///         ERC-721 `transferFrom`, `safeTransferFrom`, `approve` and `setApprovalForAll` always revert with
///         {TwinTransferDisabled} (a transfer to the zero address with ERC721's `ERC721InvalidReceiver` first):
///         no one, not even the owner or an operator, moves a twin without a proven event.
/// @dev Implementations are ERC-2771 recipients (the acting account is `_msgSender()`, so partners act
///      gaslessly through the trusted forwarder). Partner status and kinds are read from {ITradingPartners} at
///      the time of each call: the acting partner through {ITradingPartners-checkPartner} (a partner registered
///      by credential whose credential is no longer valid is refused with the trust registry's error), a
///      recipient through {ITradingPartners-isActivePartner} (such a partner is no valid recipient). Trust boundary: the chain proves that the event was anchored by the acting
///      partner, not what the event says (the event body stays off chain); verifiers fetch the event, check that
///      its hash is the proven one and that it names this unit, its sender and its receiver.
interface IDigitalTwin {
    /// @notice What the chain keeps of a twin besides its ERC-721 owner. One storage slot.
    /// @param manufacturer The manufacturer that minted it (never zero once minted).
    /// @param mintedAt Block timestamp of the mint.
    /// @param decommissioned True once dispensed or otherwise decommissioned (the token is burned); never reset.
    struct Twin {
        address manufacturer;
        uint64 mintedAt;
        bool decommissioned;
    }

    /// @notice The anchor or the registry given at deployment is the zero address.
    error TwinZeroAddress();

    /// @notice The anchor given at deployment reads another trading-partner registry than the one given.
    /// @param anchorPartners The registry the anchor reads.
    /// @param partners The registry given.
    error TwinRegistryMismatch(address anchorPartners, address partners);

    /// @notice `account` is not a registered, active manufacturer.
    /// @param account The caller.
    error TwinNotManufacturer(address account);

    /// @notice `account` is not a registered, active trading partner.
    /// @param account The caller.
    error TwinNotPartner(address account);

    /// @notice `account` is not a registered, active dispenser.
    /// @param account The caller.
    error TwinNotDispenser(address account);

    /// @notice `to` is not a registered, active trading partner, or is the current custodian itself.
    /// @param to The rejected recipient.
    error TwinInvalidRecipient(address to);

    /// @notice The unit key is zero.
    error TwinZeroUnitKey();

    /// @notice A twin of `unitKey` was minted already (possibly decommissioned since).
    /// @param unitKey The unit key.
    error TwinAlreadyMinted(bytes32 unitKey);

    /// @notice No twin with `tokenId` was ever minted.
    /// @param tokenId The token id.
    error TwinUnknownUnit(uint256 tokenId);

    /// @notice Twin `tokenId` was decommissioned (burned) and can no longer move.
    /// @param tokenId The token id.
    error TwinAlreadyDecommissioned(uint256 tokenId);

    /// @notice `account` is not the current custodian (owner) of twin `tokenId`.
    /// @param tokenId The token id.
    /// @param account The caller.
    error TwinNotCustodian(uint256 tokenId, address account);

    /// @notice Batch `batchId` was not anchored by `account`, the minting manufacturer (or does not exist).
    /// @param batchId The batch.
    /// @param account The caller.
    error TwinNotCommissioner(uint256 batchId, address account);

    /// @notice Batch `batchId` was not anchored by `custodian`, the twin's current custodian (or does not exist).
    /// @param batchId The batch.
    /// @param custodian The custodian (the caller).
    error TwinEventNotFromCustodian(uint256 batchId, address custodian);

    /// @notice The proof does not show `eventHash` under the root of batch `batchId`.
    /// @param batchId The batch.
    /// @param eventHash The event hash.
    error TwinInvalidProof(uint256 batchId, bytes32 eventHash);

    /// @notice ERC-721 transfers and approvals are disabled: custody moves only with {transferCustody}.
    error TwinTransferDisabled();

    /// @notice Manufacturer `manufacturer` minted twin `tokenId` to `to`, proving commissioning event
    ///         `commissioningEventHash` in its batch `batchId`.
    /// @param tokenId The twin (`uint256(unitKey)`).
    /// @param manufacturer The minting manufacturer.
    /// @param to The first custodian.
    /// @param batchId The manufacturer's batch holding the commissioning event.
    /// @param commissioningEventHash The commissioning event's hash.
    event TwinMinted(
        uint256 indexed tokenId,
        address indexed manufacturer,
        address indexed to,
        uint256 batchId,
        bytes32 commissioningEventHash
    );

    /// @notice Custodian `from` handed twin `tokenId` to `to`, proving shipping event `shippingEventHash` in
    ///         its batch `batchId`.
    /// @param tokenId The twin.
    /// @param from The previous custodian.
    /// @param to The new custodian.
    /// @param batchId The previous custodian's batch holding the shipping event.
    /// @param shippingEventHash The shipping event's hash.
    event CustodyTransferred(
        uint256 indexed tokenId, address indexed from, address indexed to, uint256 batchId, bytes32 shippingEventHash
    );

    /// @notice Dispenser `dispenser` decommissioned (dispensed) twin `tokenId`, proving event `eventHash` in its
    ///         batch `batchId`; the token was burned.
    /// @param tokenId The twin.
    /// @param dispenser The last custodian, a dispenser.
    /// @param batchId The dispenser's batch holding the event.
    /// @param eventHash The dispensing or decommissioning event's hash.
    event TwinDecommissioned(uint256 indexed tokenId, address indexed dispenser, uint256 batchId, bytes32 eventHash);

    /// @notice The anchor registry whose batches prove events (immutable).
    /// @return The anchor.
    function supplyAnchor() external view returns (ISupplyAnchor);

    /// @notice The trading-partner registry (immutable; the same one the anchor reads).
    /// @return The registry.
    function tradingPartners() external view returns (ITradingPartners);

    /// @notice Mints the twin of unit `unitKey` to `to`, proving its commissioning event.
    /// @dev The manufacturer is `_msgSender()`. Checks, in this order: it is a registered, active manufacturer
    ///      ({TwinNotManufacturer}); `to` is a registered, active partner ({TwinInvalidRecipient}); `unitKey` is
    ///      not zero ({TwinZeroUnitKey}) and was never minted ({TwinAlreadyMinted}); batch `batchId` was
    ///      anchored by the caller ({TwinNotCommissioner}); `proof` shows `commissioningEventHash` under its
    ///      root ({TwinInvalidProof}). Emits ERC-721 `Transfer(0, to, tokenId)` and {TwinMinted}. No ERC-721
    ///      receiver hook is called (recipients are vetted partners).
    /// @param batchId The caller's batch holding the commissioning event.
    /// @param commissioningEventHash The commissioning event's hash.
    /// @param proof Its Merkle proof in that batch.
    /// @param unitKey The unit's canonical key; the token id is `uint256(unitKey)`.
    /// @param to The first custodian (often the manufacturer itself).
    /// @return tokenId The new twin's token id.
    function mintTwin(
        uint256 batchId,
        bytes32 commissioningEventHash,
        bytes32[] calldata proof,
        bytes32 unitKey,
        address to
    ) external returns (uint256 tokenId);

    /// @notice Hands twin `tokenId` from the caller, its custodian, to `to`, proving the shipping event.
    /// @dev The custodian is `_msgSender()`. Checks, in this order: the twin exists ({TwinUnknownUnit}) and is
    ///      not decommissioned ({TwinAlreadyDecommissioned}); the caller owns it ({TwinNotCustodian}) and is a
    ///      registered, active partner ({TwinNotPartner}); `to` is a registered, active partner other than the
    ///      caller ({TwinInvalidRecipient}); batch `batchId` was anchored by the caller
    ///      ({TwinEventNotFromCustodian}); `proof` shows `shippingEventHash` under its root ({TwinInvalidProof}).
    ///      Emits ERC-721 `Transfer(from, to, tokenId)` and {CustodyTransferred}. No receiver hook is called.
    /// @param tokenId The twin.
    /// @param to The new custodian.
    /// @param batchId The caller's batch holding the shipping event.
    /// @param shippingEventHash The shipping event's hash.
    /// @param proof Its Merkle proof in that batch.
    function transferCustody(
        uint256 tokenId,
        address to,
        uint256 batchId,
        bytes32 shippingEventHash,
        bytes32[] calldata proof
    ) external;

    /// @notice Decommissions (dispenses) twin `tokenId`: burns it for good.
    /// @dev The dispenser is `_msgSender()`. Checks, in this order: the twin exists ({TwinUnknownUnit}) and is
    ///      not decommissioned ({TwinAlreadyDecommissioned}); the caller owns it ({TwinNotCustodian}) and is a
    ///      registered, active dispenser ({TwinNotDispenser}); batch `batchId` was anchored by the caller
    ///      ({TwinEventNotFromCustodian}); `proof` shows `eventHash` under its root ({TwinInvalidProof}).
    ///      Emits ERC-721 `Transfer(owner, 0, tokenId)` and {TwinDecommissioned}.
    /// @param tokenId The twin.
    /// @param batchId The caller's batch holding the dispensing or decommissioning event.
    /// @param eventHash That event's hash.
    /// @param proof Its Merkle proof in that batch.
    function decommission(uint256 tokenId, uint256 batchId, bytes32 eventHash, bytes32[] calldata proof) external;

    /// @notice Returns what the chain keeps of twin `tokenId`. Reverts with {TwinUnknownUnit} if never minted.
    /// @param tokenId The twin.
    /// @return The twin (its custodian is ERC-721 `ownerOf`, which reverts once decommissioned).
    function twinOf(uint256 tokenId) external view returns (Twin memory);

    /// @notice Tells whether twin `tokenId` was decommissioned.
    /// @param tokenId The twin.
    /// @return True if minted and decommissioned since (false for a unit never minted).
    function isDecommissioned(uint256 tokenId) external view returns (bool);
}
