// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC2771Context} from "@openzeppelin/contracts/metatx/ERC2771Context.sol";
import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {ERC2771Recipient} from "../utils/ERC2771Recipient.sol";
import {IDigitalTwin} from "./IDigitalTwin.sol";
import {ISupplyAnchor} from "./ISupplyAnchor.sol";
import {ITradingPartners, KIND_DISPENSER, KIND_MANUFACTURER} from "./ITradingPartners.sol";
import {SupplyProof} from "./SupplyProof.sol";

/// @title DigitalTwin
/// @author medchain
/// @notice ERC-721 digital twins of medicine units whose custody moves only with proven EPCIS events; see
///         {IDigitalTwin}. Name "medchain digital twin", symbol "MEDTWIN".
/// @dev ERC-2771 recipient of the trusted forwarder given at deployment (immutable). OpenZeppelin ERC721 with
///      its public transfer and approval functions disabled (approvals overridden, transfers refused in
///      `_update` outside this contract's three custody functions); custody moves through the internal
///      `_mint`, `_transfer` and `_burn` only, none of which calls out.
contract DigitalTwin is IDigitalTwin, ERC721, ERC2771Recipient {
    ISupplyAnchor private immutable _anchor;
    ITradingPartners private immutable _partners;

    mapping(uint256 tokenId => Twin twin) private _twins;

    /// @notice Deploys the twin registry.
    /// @dev Reverts with {TwinZeroAddress} if `anchor` or `partners` is zero and {TwinRegistryMismatch} if the
    ///      anchor reads another registry than `partners`.
    /// @param trustedForwarder The ERC-2771 forwarder whose relayed calls are attributed to their signer
    ///        (address(0) disables relaying).
    /// @param anchor The {ISupplyAnchor} whose batches prove events.
    /// @param partners The {ITradingPartners} registry (the one `anchor` reads).
    constructor(address trustedForwarder, address anchor, address partners)
        ERC721("medchain digital twin", "MEDTWIN")
        ERC2771Recipient(trustedForwarder)
    {
        if (anchor == address(0) || partners == address(0)) revert TwinZeroAddress();
        address anchorPartners = address(ISupplyAnchor(anchor).tradingPartners());
        if (anchorPartners != partners) revert TwinRegistryMismatch(anchorPartners, partners);
        _anchor = ISupplyAnchor(anchor);
        _partners = ITradingPartners(partners);
    }

    /// @inheritdoc IDigitalTwin
    function mintTwin(
        uint256 batchId,
        bytes32 commissioningEventHash,
        bytes32[] calldata proof,
        bytes32 unitKey,
        address to
    ) external returns (uint256 tokenId) {
        address manufacturer = _msgSender();
        if (_activeKind(manufacturer) != KIND_MANUFACTURER) revert TwinNotManufacturer(manufacturer);
        if (!_partners.isActivePartner(to)) revert TwinInvalidRecipient(to);
        if (unitKey == bytes32(0)) revert TwinZeroUnitKey();
        tokenId = uint256(unitKey);
        Twin storage twin = _twins[tokenId];
        if (twin.manufacturer != address(0)) revert TwinAlreadyMinted(unitKey);
        (address anchoredBy, bytes32 root) = _anchor.batchRoot(batchId);
        if (anchoredBy != manufacturer) revert TwinNotCommissioner(batchId, manufacturer);
        if (!MerkleProof.verifyCalldata(proof, root, SupplyProof.leaf(commissioningEventHash))) {
            revert TwinInvalidProof(batchId, commissioningEventHash);
        }

        twin.manufacturer = manufacturer;
        twin.mintedAt = uint64(block.timestamp);
        _mint(to, tokenId);
        emit TwinMinted(tokenId, manufacturer, to, batchId, commissioningEventHash);
    }

    /// @inheritdoc IDigitalTwin
    function transferCustody(
        uint256 tokenId,
        address to,
        uint256 batchId,
        bytes32 shippingEventHash,
        bytes32[] calldata proof
    ) external {
        address custodian = _custodian(tokenId);
        if (_activeKind(custodian) == 0) revert TwinNotPartner(custodian);
        if (to == custodian || !_partners.isActivePartner(to)) revert TwinInvalidRecipient(to);
        _proveOwnEvent(custodian, batchId, shippingEventHash, proof);

        _transfer(custodian, to, tokenId);
        emit CustodyTransferred(tokenId, custodian, to, batchId, shippingEventHash);
    }

    /// @inheritdoc IDigitalTwin
    function decommission(uint256 tokenId, uint256 batchId, bytes32 eventHash, bytes32[] calldata proof) external {
        address dispenser = _custodian(tokenId);
        if (_activeKind(dispenser) != KIND_DISPENSER) revert TwinNotDispenser(dispenser);
        _proveOwnEvent(dispenser, batchId, eventHash, proof);

        _twins[tokenId].decommissioned = true;
        _burn(tokenId);
        emit TwinDecommissioned(tokenId, dispenser, batchId, eventHash);
    }

    /// @inheritdoc IDigitalTwin
    function twinOf(uint256 tokenId) external view returns (Twin memory) {
        Twin memory twin = _twins[tokenId];
        if (twin.manufacturer == address(0)) revert TwinUnknownUnit(tokenId);
        return twin;
    }

    /// @inheritdoc IDigitalTwin
    function isDecommissioned(uint256 tokenId) external view returns (bool) {
        return _twins[tokenId].decommissioned;
    }

    /// @inheritdoc IDigitalTwin
    function supplyAnchor() external view returns (ISupplyAnchor) {
        return _anchor;
    }

    /// @inheritdoc IDigitalTwin
    function tradingPartners() external view returns (ITradingPartners) {
        return _partners;
    }

    /// @notice Disabled: reverts with {TwinTransferDisabled}.
    function approve(address, uint256) public pure override {
        revert TwinTransferDisabled();
    }

    /// @notice Disabled: reverts with {TwinTransferDisabled}.
    function setApprovalForAll(address, bool) public pure override {
        revert TwinTransferDisabled();
    }

    /// @notice ERC-165: {IDigitalTwin}, ERC-721, ERC-721 Metadata and ERC-165 itself.
    /// @param interfaceId The interface identifier to test.
    /// @return True if this contract implements `interfaceId`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IDigitalTwin).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Every ownership change of OpenZeppelin ERC721 goes through here; it is allowed only inside
    ///      {mintTwin}, {transferCustody} and {decommission} (the selector of the call being executed, which
    ///      relaying through the forwarder keeps), after their own checks. So ERC-721 `transferFrom` and both
    ///      `safeTransferFrom` revert with {TwinTransferDisabled} whoever calls (or, for the zero recipient,
    ///      with ERC721's own `ERC721InvalidReceiver` first).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        bytes4 selector = msg.sig;
        if (
            selector != this.mintTwin.selector && selector != this.transferCustody.selector
                && selector != this.decommission.selector
        ) revert TwinTransferDisabled();
        return super._update(to, tokenId, auth);
    }

    /// @dev The caller (`_msgSender()`), checked to be the current owner of existing, live twin `tokenId`.
    function _custodian(uint256 tokenId) private view returns (address caller) {
        caller = _msgSender();
        address owner = _ownerOf(tokenId);
        if (owner == address(0)) {
            if (_twins[tokenId].decommissioned) revert TwinAlreadyDecommissioned(tokenId);
            revert TwinUnknownUnit(tokenId);
        }
        if (owner != caller) revert TwinNotCustodian(tokenId, caller);
    }

    /// @dev Checks that batch `batchId` was anchored by `custodian` and that `proof` shows `eventHash` in it.
    function _proveOwnEvent(address custodian, uint256 batchId, bytes32 eventHash, bytes32[] calldata proof)
        private
        view
    {
        (address anchoredBy, bytes32 root) = _anchor.batchRoot(batchId);
        if (anchoredBy != custodian) revert TwinEventNotFromCustodian(batchId, custodian);
        if (!MerkleProof.verifyCalldata(proof, root, SupplyProof.leaf(eventHash))) {
            revert TwinInvalidProof(batchId, eventHash);
        }
    }

    // Solidity forces the three overrides below: ERC721 and ERC2771Recipient both inherit Context, and a contract
    // inheriting a function along two paths must override it. They only pick the ERC-2771 versions (the request's
    // signer, its calldata without the appended signer, and the 20-byte suffix); see {ERC2771Recipient}.

    /// @dev The ERC-2771 sender.
    function _msgSender() internal view override(Context, ERC2771Context) returns (address) {
        return ERC2771Context._msgSender();
    }

    /// @dev The ERC-2771 calldata.
    function _msgData() internal view override(Context, ERC2771Context) returns (bytes calldata) {
        return ERC2771Context._msgData();
    }

    /// @dev The ERC-2771 suffix length.
    function _contextSuffixLength() internal view override(Context, ERC2771Context) returns (uint256) {
        return ERC2771Context._contextSuffixLength();
    }

    /// @dev The kind of `account` if it is an active partner, else 0; reverts with the trust registry's error if
    ///      it registered with a credential that is no longer valid ({ITradingPartners-checkPartner}).
    function _activeKind(address account) private view returns (uint8) {
        (uint8 kind, bool active) = _partners.checkPartner(account);
        return active ? kind : 0;
    }
}
